package io.tonearm.daemon.settings;

import io.tonearm.proto.v1.SettingsState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * {@code settings.pb} in the data dir, beside the player's state: the enhancement settings and the
 * saved presets as one {@link SettingsState} followed by its CRC-32, written crash-safely (a
 * temporary file, forced to disk, renamed over the old one atomically, the directory forced). A
 * missing or damaged file reads as empty. Called from the settings thread only.
 */
final class SettingsFile {

  private final Path file;

  SettingsFile(Path dataDir) {
    this.file = dataDir.resolve("settings.pb");
  }

  void save(SettingsState s) throws IOException {
    byte[] body = s.toByteArray();
    CRC32 crc = new CRC32();
    crc.update(body);
    ByteBuffer buf = ByteBuffer.allocate(body.length + 8);
    buf.put(body).putLong(crc.getValue()).flip();
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some file systems cannot open a directory; the rename is still atomic there.
    }
  }

  Optional<SettingsState> load() {
    try {
      byte[] all = Files.readAllBytes(file);
      if (all.length < 8) {
        return Optional.empty();
      }
      byte[] body = Arrays.copyOf(all, all.length - 8);
      CRC32 crc = new CRC32();
      crc.update(body);
      if (ByteBuffer.wrap(all, all.length - 8, 8).getLong() != crc.getValue()) {
        return Optional.empty();
      }
      return Optional.of(SettingsState.parseFrom(body));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
