package io.tonearm.daemon.library;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.audio.mp3.MP3File;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.jaudiotagger.tag.id3.AbstractID3v2Frame;
import org.jaudiotagger.tag.id3.AbstractID3v2Tag;
import org.jaudiotagger.tag.id3.ID3v23Frame;
import org.jaudiotagger.tag.id3.ID3v23Tag;
import org.jaudiotagger.tag.id3.ID3v24Frame;
import org.jaudiotagger.tag.id3.ID3v24Tag;
import org.jaudiotagger.tag.id3.framebody.FrameBodyTXXX;
import org.jaudiotagger.tag.images.ArtworkFactory;
import org.jaudiotagger.tag.vorbiscomment.VorbisCommentTag;

/** Copies the committed untagged fixtures and writes known tags into the copies. */
public final class TaggedFiles {
  private TaggedFiles() {}

  /** Copies fixture {@code name} (under /library/) to {@code target}. */
  public static Path copy(String name, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    try (InputStream in = TaggedFiles.class.getResourceAsStream("/library/" + name)) {
      if (in == null) {
        throw new IOException("no fixture " + name);
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  static byte[] fixtureBytes(String name) throws IOException {
    try (InputStream in = TaggedFiles.class.getResourceAsStream("/library/" + name)) {
      return in.readAllBytes();
    }
  }

  /** Tags to write; null fields are left out. */
  public record Tags(
      String title,
      String artist,
      String album,
      String albumArtist,
      String track,
      String genre,
      String year,
      String rgTrackGain,
      String rgTrackPeak,
      byte[] picture) {
    public static Tags of(String title, String artist, String album) {
      return new Tags(title, artist, album, null, null, null, null, null, null, null);
    }

    Tags track(String n) {
      return new Tags(
          title, artist, album, albumArtist, n, genre, year, rgTrackGain, rgTrackPeak, picture);
    }

    Tags genre(String g) {
      return new Tags(
          title, artist, album, albumArtist, track, g, year, rgTrackGain, rgTrackPeak, picture);
    }

    Tags year(String y) {
      return new Tags(
          title, artist, album, albumArtist, track, genre, y, rgTrackGain, rgTrackPeak, picture);
    }

    Tags gain(String g, String p) {
      return new Tags(title, artist, album, albumArtist, track, genre, year, g, p, picture);
    }

    Tags picture(byte[] p) {
      return new Tags(
          title, artist, album, albumArtist, track, genre, year, rgTrackGain, rgTrackPeak, p);
    }
  }

  /** Writes {@code t} into {@code file}; MP3 gets an ID3v2.3 or v2.4 tag as asked. */
  public static void tag(Path file, Tags t, boolean id3v23) throws Exception {
    AudioFile af = AudioFileIO.read(file.toFile());
    Tag tag;
    if (af instanceof MP3File mp3) {
      AbstractID3v2Tag id3 = id3v23 ? new ID3v23Tag() : new ID3v24Tag();
      mp3.setID3v2Tag(id3);
      tag = id3;
    } else {
      tag = af.getTagOrCreateAndSetDefault();
    }
    set(tag, FieldKey.TITLE, t.title());
    set(tag, FieldKey.ARTIST, t.artist());
    set(tag, FieldKey.ALBUM, t.album());
    set(tag, FieldKey.ALBUM_ARTIST, t.albumArtist());
    set(tag, FieldKey.TRACK, t.track());
    set(tag, FieldKey.GENRE, t.genre());
    set(tag, FieldKey.YEAR, t.year());
    if (t.rgTrackGain() != null) {
      if (tag instanceof AbstractID3v2Tag id3) {
        txxx(id3, "REPLAYGAIN_TRACK_GAIN", t.rgTrackGain());
        txxx(id3, "REPLAYGAIN_TRACK_PEAK", t.rgTrackPeak());
      } else {
        VorbisCommentTag v = (VorbisCommentTag) vorbis(tag);
        v.setField("REPLAYGAIN_TRACK_GAIN", t.rgTrackGain());
        v.setField("REPLAYGAIN_TRACK_PEAK", t.rgTrackPeak());
      }
    }
    if (t.picture() != null) {
      File img = Files.createTempFile("art", ".jpg").toFile();
      Files.write(img.toPath(), t.picture());
      tag.setField(ArtworkFactory.createArtworkFromFile(img));
      img.delete();
    }
    af.commit();
  }

  private static void txxx(AbstractID3v2Tag id3, String name, String value) throws Exception {
    AbstractID3v2Frame frame =
        id3 instanceof ID3v23Tag ? new ID3v23Frame("TXXX") : new ID3v24Frame("TXXX");
    frame.setBody(new FrameBodyTXXX((byte) 0, name, value));
    id3.addField(frame);
  }

  private static Tag vorbis(Tag tag) {
    if (tag instanceof org.jaudiotagger.tag.flac.FlacTag flac) {
      return flac.getVorbisCommentTag();
    }
    return tag;
  }

  private static void set(Tag tag, FieldKey key, String value) throws Exception {
    if (value != null) {
      tag.setField(key, value);
    }
  }
}
