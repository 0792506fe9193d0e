package io.tonearm.daemon.decode;

import io.tonearm.daemon.resample.Resampler;
import java.io.IOException;

/**
 * A decoder converted to another sample rate by {@link Resampler}, sample-locked: its output frame
 * {@code n} is the input at time {@code n * inRate / outRate} exactly, with no fractional delay, so
 * a converted stem stays in step with stems that are not converted. Used by {@link StemSetDecoder}
 * for a stem whose rate differs from the set's.
 *
 * <p>How: with the rates reduced to {@code outRate / inRate = L / M}, the resampler's raw output
 * {@code r} is the input at time {@code r·M/L - taps/2}. Feeding {@code d} frames of silence first,
 * with {@code taps/2 + d = q·M}, makes that {@code (r - q·L)·M/L}: dropping the first {@code q·L}
 * raw outputs leaves output {@code n} at input time {@code n·M/L}. A seek to output frame {@code F}
 * restarts the filter from input frame {@code j'·M} ({@code j = F / L}, {@code j' = max(0, j -
 * q)}), whose time is an output frame's, far enough back ({@code q·M >= taps/2} input frames) that
 * the filter holds only real input again by {@code F}: the frames after a seek are bit for bit
 * those of reading from the start, as exact as the input decoder's own seek.
 *
 * <p>Length: an input of {@code N} frames gives {@code ceil(N·L/M)} frames (the output frames whose
 * time falls inside the input), so lengths compared after conversion differ from the exact {@code
 * N·outRate/inRate} by less than one frame. Ratios whose reduced {@code L} is over 4096 or {@code
 * M} over 16384 (say 44101 to 44100 Hz) are refused rather than approximated, since an approximate
 * ratio would drift against the other stems.
 *
 * <p>Not thread-safe, like every decoder; allocates only in its constructor. Owns and closes the
 * input decoder.
 */
final class ResampledDecoder implements Decoder {

  /** The Resampler's most filter phases, and the most input frames per output cycle accepted. */
  static final int MAX_UP = 4096;

  static final int MAX_DOWN = 16_384;

  private static final int BLOCK = 1024;

  private final Decoder in;
  private final AudioFormat format;
  private final Resampler resampler;
  private final int channels;
  private final long up; // L
  private final long down; // M
  private final int q; // whole input cycles of delay: q·M = taps/2 + d
  private final float[] silence; // d frames
  private final float[] inBuf;
  private final float[] outBuf;
  private int outPos; // frames of outBuf given out
  private int outHave; // frames in outBuf
  private long skip; // raw output frames still to drop
  private long startFrame; // input frame the filter was restarted from (a multiple of M)
  private long taken; // input frames taken since then
  private long next; // output frame the next frame given out is
  private long end = -1; // output frames in all, once the input has ended
  private int flushes;

  /**
   * @throws UnsupportedFormatException when the ratio cannot be converted exactly
   */
  ResampledDecoder(Decoder in, int outRate) throws IOException {
    this.in = in;
    AudioFormat f = in.format();
    int inRate = f.sampleRate();
    long g = gcd(inRate, outRate);
    up = outRate / g;
    down = inRate / g;
    if (up > MAX_UP || down > MAX_DOWN) {
      throw new UnsupportedFormatException(
          "cannot convert "
              + inRate
              + " Hz to "
              + outRate
              + " Hz exactly (ratio "
              + up
              + "/"
              + down
              + ")");
    }
    channels = f.channels();
    resampler = new Resampler(inRate, outRate, channels, BLOCK);
    int half = (int) resampler.delayInputFrames();
    q = (int) ((half + down - 1) / down);
    silence = new float[(int) (q * down - half) * channels];
    inBuf = new float[BLOCK * channels];
    int most =
        Math.max(
            resampler.maxOutputFrames(BLOCK),
            Math.max(
                resampler.maxOutputFrames(half),
                resampler.maxOutputFrames(silence.length / channels)));
    outBuf = new float[most * channels];
    long frames = f.frames() < 0 ? -1 : ceilDiv(f.frames() * up, down);
    format = new AudioFormat(outRate, channels, frames, f.codec(), f.bitsPerSample());
    restart(0, false);
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  @Override
  public AudioFormat format() {
    return format;
  }

  /** Restarts the filter so that the next frame given out is output frame {@code frame}. */
  private void restart(long frame, boolean seekInput) throws IOException {
    long j = frame / up;
    long from = Math.max(0, j - q);
    startFrame = from * down;
    if (seekInput) {
      in.seek(startFrame);
    }
    resampler.reset();
    outPos = 0;
    outHave = 0;
    taken = 0;
    end = -1;
    flushes = 0;
    next = frame;
    skip = frame - from * up + q * up;
    int n = resampler.process(silence, 0, silence.length / channels, outBuf, 0);
    take(n);
  }

  /** Counts {@code n} new raw frames in {@link #outBuf}, dropping what {@link #skip} says. */
  private void take(int n) {
    int drop = (int) Math.min(n, skip);
    skip -= drop;
    outPos = drop;
    outHave = n;
  }

  @Override
  public int read(float[] dst, int offset, int maxFrames) throws IOException {
    int done = 0;
    while (done < maxFrames) {
      if (end >= 0 && next >= end) {
        break;
      }
      if (outPos < outHave) {
        int n = Math.min(maxFrames - done, outHave - outPos);
        if (end >= 0) {
          n = (int) Math.min(n, end - next);
        }
        System.arraycopy(outBuf, outPos * channels, dst, offset + done * channels, n * channels);
        outPos += n;
        done += n;
        next += n;
        continue;
      }
      if (end >= 0) {
        if (flushes++ > 4) {
          break; // the filter has given all it holds
        }
        take(resampler.flush(outBuf, 0));
        continue;
      }
      int got = in.read(inBuf, 0, BLOCK);
      if (got < 0) {
        end = ceilDiv((startFrame + taken) * up, down);
        continue;
      }
      if (got == 0) {
        break; // nothing now: the caller asks again
      }
      taken += got;
      take(resampler.process(inBuf, 0, got, outBuf, 0));
    }
    if (done == 0 && end >= 0 && (next >= end || flushes > 4)) {
      return -1;
    }
    return done;
  }

  @Override
  public void seek(long frame) throws IOException {
    if (frame < 0 || (format.frames() >= 0 && frame > format.frames())) {
      throw new IOException("seek to frame " + frame + " outside 0.." + format.frames());
    }
    restart(frame, true);
  }

  @Override
  public String takeProblem() {
    return in.takeProblem();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
