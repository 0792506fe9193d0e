package io.tonearm.daemon.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * A small file replaced whole and crash-safely: the body and its CRC-32 (8 bytes, big-endian) are
 * written to {@code NAME.tmp}, forced to disk, renamed over the old file atomically, then the
 * directory is forced, so a kill -9 or power loss leaves either the old or the new file, and a torn
 * or damaged one reads as absent. Not thread-safe: one owner per file.
 */
public final class CrcFile {

  private CrcFile() {}

  /** Replaces {@code file} with {@code body}; blocks until both are on disk. */
  public static void write(Path file, byte[] body) throws IOException {
    write(file, body, false);
  }

  /**
   * {@link #write(Path, byte[])}, the file readable by its owner only (0600) from its creation on
   * where the file system has POSIX permissions (secrets: keys, tokens).
   */
  public static void writePrivate(Path file, byte[] body) throws IOException {
    write(file, body, true);
  }

  private static void write(Path file, byte[] body, boolean ownerOnly) throws IOException {
    CRC32 crc = new CRC32();
    crc.update(body);
    ByteBuffer buf = ByteBuffer.allocate(body.length + 8);
    buf.put(body).putLong(crc.getValue()).flip();
    Path parent = file.getParent();
    if (!Files.isDirectory(parent)) {
      // Only when missing: on an existing directory createDirectories tries mkdir and builds an
      // exception each time (a fifth of the player's periodic position save).
      Files.createDirectories(parent);
    }
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    if (ownerOnly) {
      Files.deleteIfExists(temp); // a leftover may have wider permissions
    }
    try (FileChannel ch =
        FileChannel.open(
            temp,
            ownerOnly ? PRIVATE_OPTIONS : OPTIONS,
            ownerOnly ? ownerOnlyAttributes(file) : new FileAttribute<?>[0])) {
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
      dir.force(true); // makes the rename itself durable
    } catch (IOException e) {
      // Some file systems cannot open a directory; the rename is still atomic there.
    }
  }

  private static final Set<StandardOpenOption> OPTIONS =
      Set.of(
          StandardOpenOption.CREATE,
          StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
  private static final Set<StandardOpenOption> PRIVATE_OPTIONS =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

  /** rw------- where the file system supports POSIX permissions, else nothing. */
  public static FileAttribute<?>[] ownerOnlyAttributes(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null
        && Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
      return new FileAttribute<?>[] {
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
      };
    }
    return new FileAttribute<?>[0];
  }

  /**
   * The body last written, or empty when there is no file, it cannot be read, it is shorter than
   * {@code minBody} bytes of body, or its CRC does not match.
   */
  public static Optional<byte[]> read(Path file, int minBody) {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (all.length < 8 + minBody) {
      return Optional.empty();
    }
    CRC32 crc = new CRC32();
    crc.update(all, 0, all.length - 8);
    if (ByteBuffer.wrap(all, all.length - 8, 8).getLong() != crc.getValue()) {
      return Optional.empty();
    }
    return Optional.of(Arrays.copyOf(all, all.length - 8));
  }
}
