package io.tonearm.daemon.analysis;

import io.tonearm.daemon.decode.StemLayout;
import io.tonearm.daemon.dsp.PcmTap;

/**
 * The analysis stage's {@link PcmTap}: sanitises each played block (NaN to 0, values clamped to ±4,
 * so that no frame ever carries NaN or infinity), integrates it into the meters and appends it to
 * the played ring; the mixer's blocks go to the per-stem meters. Frame sources read them from the
 * ticker thread.
 *
 * <p>Called on the output thread. Allocates only when a block larger than any before arrives or the
 * stream's format changes.
 */
public final class AnalysisTap implements PcmTap {

  private static final float LIMIT = 4f;

  private final PlayedRing ring;
  private final MeterBank meters;
  private final StemMeterBank stemMeters;
  private float[] clean = new float[8192];

  /** A tap whose meters measure, and whose ring keeps, every block. */
  public AnalysisTap() {
    this(false);
  }

  /**
   * @param onDemand measure only while meter frames are being rendered (see {@link
   *     MeterBank#MeterBank(boolean)}) and keep played samples only while frames are rendered from
   *     them (see {@link PlayedRing#PlayedRing(boolean)}), as the daemon does
   */
  public AnalysisTap(boolean onDemand) {
    this(new PlayedRing(onDemand), onDemand);
  }

  /** A tap over {@code ring}, its meters on demand or not. */
  AnalysisTap(PlayedRing ring, boolean onDemand) {
    this.ring = ring;
    meters = new MeterBank(onDemand);
    stemMeters = new StemMeterBank(onDemand);
  }

  /** The ring of played samples, for frame sources. */
  public PlayedRing ring() {
    return ring;
  }

  /** The meters, for {@link MeterSource} and for resetting them. */
  public MeterBank meters() {
    return meters;
  }

  /** The per-stem meters, for {@link StemMeterSource}. */
  public StemMeterBank stemMeters() {
    return stemMeters;
  }

  /** Resets every meter (integrated loudness, LRA, max true peak...), e.g. from a command. */
  public void resetMeters() {
    meters.requestReset();
    stemMeters.requestReset();
  }

  @Override
  public boolean wantsStems() {
    return stemMeters.wanted();
  }

  @Override
  public void mixed(
      float[] heard,
      StemLayout layout,
      float[] mix,
      int mixOffset,
      int frames,
      int channels,
      int sampleRate,
      long presentationMicros) {
    stemMeters.accept(
        heard, layout, mix, mixOffset, frames, channels, sampleRate, presentationMicros);
  }

  @Override
  public void accept(
      float[] interleaved,
      int offset,
      int frames,
      int channels,
      int sampleRate,
      long presentationMicros) {
    if (frames <= 0
        || channels <= 0
        || channels > LoudnessMeter.MAX_CHANNELS
        || sampleRate < 8000) {
      return;
    }
    boolean keep = ring.wanted();
    if (!keep) {
      ring.skip(); // no view reads the played samples (the usual case while playing)
    }
    if (!meters.wanted()) {
      meters.skip();
      if (!keep) {
        return;
      }
      if (channels == 2) {
        // Nobody reads the meters: the ring sanitises as it copies, one pass over the block
        // instead of a sanitised copy and then the ring's.
        ring.writeStereoSanitised(interleaved, offset, frames, sampleRate, presentationMicros);
        return;
      }
    }
    int n = frames * channels;
    if (clean.length < n) {
      clean = new float[n];
    }
    float[] dst = clean;
    sanitise(interleaved, offset, dst, 0, n);
    meters.accept(dst, 0, frames, channels, sampleRate, presentationMicros);
    if (keep) {
      ring.write(dst, 0, frames, channels, sampleRate, presentationMicros);
    }
  }

  /** Copies {@code n} samples, each as {@link #clean} makes it (in place when src is dst). */
  static void sanitise(float[] src, int from, float[] dst, int to, int n) {
    for (int i = 0; i < n; i++) {
      dst[to + i] = clean(src[from + i]);
    }
  }

  /** NaN as 0 and the rest clamped to ±4, so that no frame ever carries NaN or infinity. */
  static float clean(float x) {
    return x != x ? 0f : x > LIMIT ? LIMIT : x < -LIMIT ? -LIMIT : x;
  }

  @Override
  public void release() {
    ring.release();
  }

  @Override
  public void discontinuity(long nowMicros) {
    ring.discardUnheard(nowMicros);
    meters.discardUnheard(nowMicros);
    stemMeters.discardUnheard(nowMicros);
  }

  @Override
  public void pause(long nowMicros) {
    ring.pause(nowMicros);
    meters.pause(nowMicros);
    stemMeters.pause(nowMicros);
  }

  @Override
  public void resume(long nowMicros) {
    ring.resume(nowMicros);
    meters.resume(nowMicros);
    stemMeters.resume(nowMicros);
  }

  @Override
  public void trackChanged(String itemId, long presentationMicros) {
    meters.requestReset();
    stemMeters.requestReset();
  }
}
