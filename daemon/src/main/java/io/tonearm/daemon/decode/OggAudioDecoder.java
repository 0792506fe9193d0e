package io.tonearm.daemon.decode;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * The Ogg half of the Vorbis and Opus decoders: packet flow, positions from granules, trimming
 * (Opus pre-skip at the start, the last page's granule at the end) and seeking. A seek bisects to a
 * page at least {@link #preroll()} before the target, decodes from there, learns its exact position
 * at the first page end that carries a granule, and discards up to the target, so seeks land on the
 * exact sample position.
 */
abstract class OggAudioDecoder implements Decoder {

  private static final int MAX_SEEK_ATTEMPTS = 4;

  protected final FileChannel channel;
  protected final OggPacketReader packets;
  private OggSeeker seeker;
  private long audioStart;
  private long granuleOffset;
  private long total = -1;
  private long discardBefore;
  private boolean calibrated = true;
  private boolean ended;
  private long nextPos; // position (output frames) just after the pending samples
  private int pending;
  private int pendingStart;

  /**
   * For 3 to 8 channels, where each output channel (in WAV/SMPTE order: FL FR FC LFE BL BR SL SR)
   * is found in Vorbis channel order (Vorbis I spec section 4.3.9, shared by Opus family 1).
   */
  private static final int[][] VORBIS_TO_WAV = {
    null,
    {0},
    {0, 1},
    {0, 2, 1},
    {0, 1, 2, 3},
    {0, 2, 1, 3, 4},
    {0, 2, 1, 5, 3, 4},
    {0, 2, 1, 6, 5, 3, 4},
    {0, 2, 1, 7, 5, 6, 3, 4}
  };

  /** The source channel for each output channel, so that output is in WAV/SMPTE order. */
  protected static int[] wavOrder(int channels) {
    return VORBIS_TO_WAV[channels].clone();
  }

  OggAudioDecoder(FileChannel channel) {
    this.channel = channel;
    this.packets = new OggPacketReader(new OggPageReader(channel));
  }

  /**
   * Called by subclasses once the header packets are read.
   *
   * @param granuleOffset granules before output frame 0 (Opus pre-skip; 0 for Vorbis)
   */
  protected final long startAudio(long granuleOffset) throws IOException {
    this.granuleOffset = granuleOffset;
    audioStart = packets.pageOffset() + 1; // audio begins on the page after the last header
    seeker = new OggSeeker(channel, packets.serial());
    long last = seeker.lastGranule(0);
    total = last < 0 ? -1 : Math.max(0, last - granuleOffset);
    nextPos = -granuleOffset;
    packets.seek(audioStart);
    return total;
  }

  /** Decodes one packet into the codec's pending output; returns the frames it produced. */
  protected abstract int decodePacket(byte[] packet, int length) throws IOException;

  /** Copies pending frames [from, from + n) interleaved into {@code dst} at {@code offset}. */
  protected abstract void copy(int from, int n, float[] dst, int offset);

  /** Forgets all decoder state, as after a seek. */
  protected abstract void resetCodec() throws IOException;

  /** Frames the codec needs to decode before a seek target to converge. */
  protected abstract long preroll();

  @Override
  public int read(float[] dst, int offset, int maxFrames) throws IOException {
    while (true) {
      if (pendingStart < pending) {
        long pos = nextPos - pending + pendingStart;
        if (total >= 0 && pos >= total) {
          ended = true;
          return -1;
        }
        if (pos < discardBefore) {
          pendingStart += (int) Math.min(pending - pendingStart, discardBefore - pos);
          continue;
        }
        int n = Math.min(maxFrames, pending - pendingStart);
        if (total >= 0) {
          n = (int) Math.min(n, total - pos);
        }
        copy(pendingStart, n, dst, offset);
        pendingStart += n;
        return n;
      }
      if (ended || !advance()) {
        ended = true;
        return -1;
      }
    }
  }

  /** Decodes the next packet into the pending output; false at the end of the stream. */
  private boolean advance() throws IOException {
    int len = packets.next();
    if (len < 0) {
      return false;
    }
    pending = decodePacket(packets.packet(), len);
    pendingStart = 0;
    if (calibrated) {
      nextPos += pending;
    } else {
      long g = packets.granule();
      if (g != -1 && !packets.eos()) {
        nextPos = g - granuleOffset;
        calibrated = true;
      } else {
        pendingStart = pending; // position unknown yet: this output only primes the codec
      }
    }
    return true;
  }

  @Override
  public void seek(long target) throws IOException {
    if (target < 0 || (total >= 0 && target > total)) {
      throw new IOException("seek to frame " + target + " outside 0.." + total);
    }
    long bound = target + granuleOffset - preroll();
    for (int attempt = 0; ; attempt++) {
      long page =
          attempt < MAX_SEEK_ATTEMPTS && bound > 0 ? seeker.pageAtOrBefore(bound, audioStart) : -1;
      resetCodec();
      pending = 0;
      pendingStart = 0;
      ended = false;
      discardBefore = target;
      if (page < 0) {
        packets.seek(audioStart);
        nextPos = -granuleOffset;
        calibrated = true;
        return;
      }
      packets.seek(page);
      calibrated = false;
      while (!calibrated && advance()) {
        // prime the codec until a page end tells the position
      }
      if (calibrated && nextPos - pending <= target) {
        return;
      }
      bound -= Math.max(preroll(), 48_000) << attempt; // the granule came too late: start earlier
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
