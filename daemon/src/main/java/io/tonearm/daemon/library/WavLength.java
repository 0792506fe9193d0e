package io.tonearm.daemon.library;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The length of a WAV file's audio from its {@code data} chunk, bounded by the file's size: a
 * header may claim up to 4 GiB (streams written with an unknown length say 0xFFFFFFFF, cut files
 * keep the size they meant to have), while the file holds what it holds. Reads chunk headers only.
 */
final class WavLength {
  private WavLength() {}

  /** Chunks looked at before giving up on finding {@code fmt } and {@code data}. */
  private static final int MAX_CHUNKS = 64;

  /**
   * Milliseconds of audio the file holds, or -1 when its chunks cannot be read (the caller keeps
   * the tag reader's figure).
   */
  static long durationMs(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      long pos = 12; // after "RIFF", its size and "WAVE"
      int rate = 0;
      int align = 0;
      for (int n = 0; n < MAX_CHUNKS && pos + 8 <= size; n++) {
        b.clear().limit(8);
        if (ch.read(b, pos) < 8) {
          return -1;
        }
        int id = b.getInt(0);
        long len = Integer.toUnsignedLong(b.getInt(4));
        if (id == 0x20746d66) { // "fmt "
          b.clear().limit(16);
          if (len < 16 || ch.read(b, pos + 8) < 16) {
            return -1;
          }
          rate = b.getInt(4);
          align = b.getShort(12) & 0xFFFF;
        } else if (id == 0x61746164) { // "data"
          if (rate <= 0 || align <= 0) {
            return -1;
          }
          long bytes = Math.min(len, size - (pos + 8));
          return bytes / align * 1000 / rate;
        }
        pos += 8 + len + (len & 1);
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
