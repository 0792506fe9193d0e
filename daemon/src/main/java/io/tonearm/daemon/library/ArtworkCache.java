package io.tonearm.daemon.library;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Artwork extracted from files and folders, cached once per distinct image in {@code
 * dataDir/artwork/<id>} (id = hash of the bytes). Pictures above {@value #MAX_STORED_BYTES} bytes
 * are downscaled to at most {@value #MAX_EDGE} pixels a side (decoded with subsampling, so a huge
 * picture never needs its full size in memory); pictures that cannot be decoded then are dropped.
 * Thread-safe: writes go to a temporary file, then an atomic rename.
 */
final class ArtworkCache {
  /** Largest picture cached as it is. */
  static final int MAX_STORED_BYTES = 2 * 1024 * 1024;

  /** Longest side of a downscaled picture, in pixels. */
  static final int MAX_EDGE = 1200;

  /** Largest image file read from a folder (cover.jpg...). */
  static final long MAX_FOLDER_IMAGE_BYTES = 32L * 1024 * 1024;

  /** A cached picture. */
  record Art(String id, String mimeType, long size) {}

  private final Path dir;

  /**
   * (length, CRC32C) of pictures already cached, to their id: the same cover embedded in every
   * track of an album is then hashed with CRC32C (hardware-assisted) instead of SHA-1 each time. A
   * collision needs equal length and equal CRC32C (about 1 in 4 billion); it would show another
   * cover, never fail.
   */
  private final java.util.Map<Long, Art> known = new java.util.concurrent.ConcurrentHashMap<>();

  ArtworkCache(Path dataDir) throws IOException {
    this.dir = dataDir.resolve("artwork");
    Files.createDirectories(dir);
  }

  /**
   * Caches {@code data}; returns what was cached.
   *
   * @throws IOException when the bytes are not a known image format or cannot be downscaled
   */
  Art put(byte[] data) throws IOException {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(data);
    long key = ((long) data.length << 32) ^ crc.getValue();
    Art seen = known.get(key);
    if (seen != null) {
      return seen;
    }
    String mime = sniff(data);
    if (mime == null) {
      throw new IOException("artwork is not a JPEG, PNG, GIF, BMP or WebP image");
    }
    byte[] stored = data;
    if (data.length > MAX_STORED_BYTES) {
      stored = downscale(data);
      mime = "image/jpeg";
    }
    String id = Ids.ofBytes(stored);
    Path file = dir.resolve(id);
    if (!Files.exists(file)) {
      Path tmp = Files.createTempFile(dir, id, ".tmp");
      try {
        Files.write(tmp, stored);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    Art art = new Art(id, mime, stored.length);
    if (known.size() < 100_000) {
      known.put(key, art);
    }
    return art;
  }

  /**
   * The cached bytes of {@code id}; empty when not cached. {@code id} must be {@link Ids#valid}.
   */
  Optional<byte[]> get(String id) throws IOException {
    if (!Ids.valid(id)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readAllBytes(dir.resolve(id)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  void delete(String id) throws IOException {
    if (Ids.valid(id)) {
      known.values().removeIf(a -> a.id().equals(id));
      Files.deleteIfExists(dir.resolve(id));
    }
  }

  /** The MIME type from the image's magic bytes, or null. */
  static String sniff(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
      return "image/jpeg";
    }
    if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return "image/png";
    }
    if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
      return "image/gif";
    }
    if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
      return "image/bmp";
    }
    if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[8] == 'W' && b[9] == 'E') {
      return "image/webp";
    }
    return null;
  }

  private static byte[] downscale(byte[] data) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IOException("artwork too large and not decodable to downscale");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        int step = Math.max(1, (int) Math.ceil(Math.max(w, h) / (double) MAX_EDGE));
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(step, step, 0, 0);
        BufferedImage img = reader.read(0, param);
        BufferedImage rgb =
            new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(img, 0, 0, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(rgb, "jpg", out)) {
          throw new IOException("no JPEG writer");
        }
        return out.toByteArray();
      } catch (RuntimeException e) {
        throw new IOException("artwork too large and not decodable: " + e.getMessage(), e);
      } finally {
        reader.dispose();
      }
    }
  }
}
