package io.tonearm.daemon.transport.mpd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tonearm.daemon.Daemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MPD's listfiles on a real daemon: what the music folder holds on disk, and no way out of it. */
class MpdListfilesTest {

  @TempDir Path dir;

  @Test
  void listfilesShowsFilesAndDirectoriesOfTheMusicFolderOnly() throws Exception {
    Daemon daemon = MpdFixture.start(dir);
    Path album = dir.resolve("music/Artist A/Album One");
    Files.writeString(album.resolve("notes.txt"), "hello");
    Files.createDirectories(album.resolve("scans"));
    Files.createSymbolicLink(album.resolve("escape"), Path.of("/"));
    Files.writeString(dir.resolve("secret.txt"), "not music");
    long t = 1_700_000_000_000L; // 2023-11-14T22:13:20Z
    for (String n : List.of("notes.txt", "scans", "01 First.flac", "02 Second.flac")) {
      Files.setLastModifiedTime(album.resolve(n), FileTime.fromMillis(t));
    }
    long first = Files.size(album.resolve("01 First.flac"));
    long second = Files.size(album.resolve("02 Second.flac"));
    try (MpdClient c = new MpdClient(daemon.mpdPort())) {
      String at = "Last-Modified: 2023-11-14T22:13:20Z";
      assertEquals(
          List.of(
              "file: 01 First.flac",
              "size: " + first,
              at,
              "file: 02 Second.flac",
              "size: " + second,
              at,
              "file: notes.txt",
              "size: 5",
              at,
              "directory: scans",
              at,
              "OK"),
          c.call("listfiles \"Artist A/Album One/\""),
          "songs or not, by name; the link out of the folder is left out");
      List<String> root = c.call("listfiles");
      assertEquals(List.of("directory: Artist A", "directory: Artist B"), dirs(root));
      assertEquals(List.of("OK"), c.call("listfiles \"Artist A/Album One/scans\""));

      assertEquals(
          List.of("ACK [2@0] {listfiles} Malformed URI"), c.call("listfiles \"Artist A/../..\""));
      assertEquals(List.of("ACK [2@0] {listfiles} Malformed URI"), c.call("listfiles .."));
      assertEquals(
          List.of("ACK [4@0] {listfiles} Access denied"), c.call("listfiles \"" + dir + "\""));
      assertEquals(
          List.of("ACK [50@0] {listfiles} No such directory"),
          c.call("listfiles \"Artist A/Album One/escape\""));
      assertEquals(
          List.of("ACK [50@0] {listfiles} No such directory"), c.call("listfiles nowhere"));
      assertEquals(
          List.of("ACK [52@0] {listfiles} Not a directory"),
          c.call("listfiles \"" + MpdFixture.FIRST + "\""));
    } finally {
      daemon.close();
    }
  }

  private static List<String> dirs(List<String> lines) {
    return lines.stream().filter(l -> l.startsWith("directory: ")).toList();
  }
}
