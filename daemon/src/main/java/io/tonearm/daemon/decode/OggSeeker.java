package io.tonearm.daemon.decode;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Finds pages of one Ogg stream by granule position: the last page of the file (for the stream's
 * length) and, by bisection over byte offsets, the last page at or before a granule (for seeking).
 */
final class OggSeeker {

  private static final long LINEAR = 64 * 1024;

  private final FileChannel channel;
  private final OggPageReader pages;
  private final int serial;

  OggSeeker(FileChannel channel, int serial) {
    this.channel = channel;
    this.pages = new OggPageReader(channel);
    this.serial = serial;
  }

  /** The granule position of the stream's last page that has one, or -1 when none is found. */
  long lastGranule(long from) throws IOException {
    long size = channel.size();
    for (long window = LINEAR; ; window *= 2) {
      long start = Math.max(from, size - window);
      pages.position(start);
      long last = -1;
      while (pages.nextPage(size)) {
        if (pages.serial == serial && pages.granule != -1) {
          last = pages.granule;
        }
      }
      if (last != -1 || start == from) {
        return last;
      }
    }
  }

  /**
   * The offset of the last page between {@code from} and the end whose granule position is at most
   * {@code bound}, or -1 when the first such page is past the bound.
   */
  long pageAtOrBefore(long bound, long from) throws IOException {
    long lo = from;
    long hi = channel.size();
    long best = -1;
    while (hi - lo > LINEAR) {
      long mid = lo + (hi - lo) / 2;
      pages.position(mid);
      boolean found = false;
      while (pages.nextPage(hi - mid) && pages.offset < hi) {
        if (pages.serial == serial && pages.granule != -1) {
          found = true;
          break;
        }
      }
      if (!found) {
        hi = mid;
      } else if (pages.granule <= bound) {
        best = pages.offset;
        lo = pages.end();
      } else {
        hi = mid;
      }
    }
    pages.position(lo);
    while (pages.nextPage(channel.size()) && pages.offset < hi + LINEAR) {
      if (pages.serial != serial || pages.granule == -1) {
        continue;
      }
      if (pages.granule > bound) {
        break;
      }
      best = pages.offset;
    }
    return best;
  }
}
