package io.tonearm.daemon.decode;

import java.io.IOException;

/**
 * Joins the pages of one logical Ogg stream into packets. The first stream's serial number is kept;
 * pages of other streams are skipped, and a new beginning-of-stream page after the first (a chained
 * file) ends the stream. After {@link #seek} the tail of a packet begun on an earlier page is
 * dropped.
 */
final class OggPacketReader {

  /** Bytes scanned for a capture pattern before the data is judged not to be Ogg. */
  private static final long MAX_SCAN = 1 << 20;

  private final OggPageReader pages;
  private byte[] packet = new byte[64 * 1024];
  private int packetLength;
  private int segment;
  private int bodyPos;
  private boolean havePage;
  private boolean dropContinuation;
  private boolean ended;
  private int serial;
  private boolean serialKnown;
  private long granule;
  private boolean eos;
  private long pageOffset = -1;

  OggPacketReader(OggPageReader pages) {
    this.pages = pages;
  }

  /** Restarts at the page at or after {@code offset}. */
  void seek(long offset) {
    pages.position(offset);
    havePage = false;
    packetLength = 0;
    dropContinuation = true;
    ended = false;
  }

  byte[] packet() {
    return packet;
  }

  /** Granule position of the page the last packet completed on, when it was its last; else -1. */
  long granule() {
    return granule;
  }

  /** True when the last packet ended the stream. */
  boolean eos() {
    return eos;
  }

  /** Offset of the page on which the last packet completed. */
  long pageOffset() {
    return pageOffset;
  }

  int serial() {
    return serial;
  }

  /** Reads the next packet; returns its length, or -1 at the end of the stream. */
  int next() throws IOException {
    packetLength = 0;
    while (!ended) {
      if (!havePage || segment == pages.segments) {
        if (!readPage()) {
          ended = true;
          return -1;
        }
        continue;
      }
      while (segment < pages.segments) {
        int len = pages.lacing[segment++];
        if (!dropContinuation) {
          append(pages.body, bodyPos, len);
        }
        bodyPos += len;
        if (len < 255) {
          if (dropContinuation) {
            dropContinuation = false;
            continue;
          }
          boolean last = true;
          for (int s = segment; s < pages.segments; s++) {
            if (pages.lacing[s] < 255) {
              last = false;
              break;
            }
          }
          granule = last ? pages.granule : -1;
          eos = last && (pages.flags & OggPageReader.FLAG_EOS) != 0;
          pageOffset = pages.offset;
          return packetLength;
        }
      }
    }
    return -1;
  }

  private boolean readPage() throws IOException {
    while (true) {
      if (!pages.nextPage(MAX_SCAN)) {
        return false;
      }
      if (!serialKnown) {
        serial = pages.serial;
        serialKnown = true;
      } else if (pages.serial != serial) {
        if ((pages.flags & OggPageReader.FLAG_BOS) != 0) {
          return false; // a chained stream follows: ours is over
        }
        continue;
      }
      havePage = true;
      segment = 0;
      bodyPos = 0;
      boolean continued = (pages.flags & OggPageReader.FLAG_CONTINUED) != 0;
      if (!continued) {
        packetLength = 0; // a packet cut short by a lost page is dropped
        dropContinuation = false;
      }
      return true;
    }
  }

  private void append(byte[] src, int at, int len) throws IOException {
    if (packetLength + len > packet.length) {
      if (packet.length >= 16 << 20) {
        throw new IOException("Ogg packet larger than 16 MiB: corrupt stream");
      }
      packet = java.util.Arrays.copyOf(packet, Math.max(packet.length * 2, packetLength + len));
    }
    System.arraycopy(src, at, packet, packetLength, len);
    packetLength += len;
  }
}
