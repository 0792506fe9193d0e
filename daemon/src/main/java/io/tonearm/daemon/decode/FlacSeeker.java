package io.tonearm.daemon.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Narrows a FLAC seek by bisection over frame headers: guesses a byte offset by interpolation,
 * finds the next valid frame header there (sync code plus CRC-8), and keeps the closest frame that
 * starts at or before the target. Used when the SEEKTABLE is absent or coarse.
 */
final class FlacSeeker {

  private static final int WINDOW = 1 << 16;
  private static final int MAX_STEPS = 40;

  private final FileChannel channel;
  private final int fixedBlockSize;
  private final byte[] buf = new byte[WINDOW + 32];
  private final ByteBuffer wrapped = ByteBuffer.wrap(buf);

  FlacSeeker(FileChannel channel, int fixedBlockSize) {
    this.channel = channel;
    this.fixedBlockSize = fixedBlockSize;
  }

  /**
   * Moves {@code lo} = {byte offset, first sample} of a frame at or before {@code target} forward,
   * as close to the target as a few header probes can get.
   */
  void narrow(long[] lo, long target, long total, int maxBlock) throws IOException {
    long hiOffset = channel.size();
    long hiSample = total >= 0 ? total : Long.MAX_VALUE;
    for (int step = 0; step < MAX_STEPS && target - lo[1] > 2L * maxBlock; step++) {
      long guess;
      if (hiSample == Long.MAX_VALUE) {
        guess = lo[0] + (hiOffset - lo[0]) / 2;
      } else {
        double f = (double) (target - lo[1]) / Math.max(1, hiSample - lo[1]);
        guess = lo[0] + (long) (f * (hiOffset - lo[0])) - maxBlock; // aim a little early
      }
      guess = Math.max(lo[0] + 1, Math.min(guess, hiOffset - 1));
      if (guess >= hiOffset) {
        return;
      }
      long[] found = nextHeader(guess, hiOffset);
      if (found == null || found[0] >= hiOffset) {
        hiOffset = guess; // no frame starts between guess and hi
        continue;
      }
      if (found[1] <= target) {
        if (found[0] == lo[0]) {
          return;
        }
        lo[0] = found[0];
        lo[1] = found[1];
      } else {
        hiOffset = guess;
        hiSample = found[1];
      }
    }
  }

  /** The first frame header at or after {@code from} and before {@code until}: {offset, sample}. */
  private long[] nextHeader(long from, long until) throws IOException {
    long at = from;
    while (at < until) {
      wrapped.clear();
      int n = 0;
      while (wrapped.hasRemaining()) {
        int r = channel.read(wrapped, at + wrapped.position());
        if (r < 0) {
          break;
        }
        n = wrapped.position();
      }
      for (int i = 0; i + 1 < n; i++) {
        if ((buf[i] & 0xFF) == 0xFF && (buf[i + 1] & 0xFE) == 0xF8) {
          FlacFrameHeader h = FlacFrameHeader.parse(buf, i, n - i, fixedBlockSize);
          if (h != null) {
            return new long[] {at + i, h.firstSample()};
          }
        }
      }
      if (n < buf.length) {
        return null;
      }
      at += WINDOW;
    }
    return null;
  }
}
