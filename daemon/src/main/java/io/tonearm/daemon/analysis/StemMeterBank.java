package io.tonearm.daemon.analysis;

import io.tonearm.daemon.decode.StemLayout;

/**
 * The per-stem meters: for each stem of the item being mixed (as it enters the mix, after its strip
 * and role volume) and for the mixer's output, sample peak, RMS and true peak per channel ({@link
 * LevelMeter}) and momentary and short-term loudness ({@link LoudnessMeter}), measured at the
 * item's rate before the player volume and the enhancement chain. Fed on the output thread (through
 * {@link AnalysisTap}), read on the ticker thread through a {@link SnapshotRing} stamped with the
 * time each block's last sample is heard.
 *
 * <p>In the daemon, on demand: blocks are measured while {@link #read} was called within the last
 * {@link MeterBank#WATCH_NANOS} (each stem costs a true-peak filter, as much as the main meters),
 * and everything restarts with each item (a stem set's layout, or the first block after {@link
 * #requestReset}). Allocates only when the layout, rate or channel count changes.
 */
public final class StemMeterBank {

  static final int SLOTS = 256;
  static final int MAX_STEMS = StemLayout.MAX_STEMS;
  static final int MAX_MIX_CHANNELS = LoudnessMeter.MAX_CHANNELS;

  // Snapshot layout: head, the mix's entry, then one entry per stem.
  static final int AT = SnapshotRing.AT;
  static final int RATE = SnapshotRing.RATE;
  static final int STEMS = 2;
  static final int MIX_CHANNELS = 3;
  static final int MIX = 4;
  // An entry: momentary and short-term loudness (mean square energies), then per channel the sample
  // peak, mean square, held true peak and max true peak (linear).
  static final int MOMENTARY = 0;
  static final int SHORT_TERM = 1;
  static final int CHANNEL0 = 2;
  static final int PER_CHANNEL = 4;
  static final int MIX_WIDTH = CHANNEL0 + PER_CHANNEL * MAX_MIX_CHANNELS;
  static final int STEM_WIDTH = CHANNEL0 + PER_CHANNEL * 2;
  static final int STEM0 = MIX + MIX_WIDTH;
  static final int WIDTH = STEM0 + STEM_WIDTH * MAX_STEMS;

  private final SnapshotRing ring = new SnapshotRing(SLOTS, WIDTH);
  private final Meter[] stems = new Meter[MAX_STEMS];
  private Meter mix;
  private float[] clean = new float[8192];
  private StemLayout layout;
  private int rate;
  private boolean measuring;
  private volatile boolean resetRequested;
  private volatile long lastReadNanos;
  private volatile boolean everRead;

  private final boolean onDemand;

  /**
   * @param onDemand when true (the daemon's), blocks are measured only while {@link #read} was
   *     called within the last {@link MeterBank#WATCH_NANOS}; when false, always
   */
  public StemMeterBank(boolean onDemand) {
    this.onDemand = onDemand;
  }

  /** Writer: true when the next block should be measured (someone read within 2 s). */
  public boolean wanted() {
    return !onDemand || (everRead && System.nanoTime() - lastReadNanos < MeterBank.WATCH_NANOS);
  }

  /** Asks the writer to start every meter afresh at its next block. Any thread. */
  public void requestReset() {
    resetRequested = true;
  }

  /**
   * Writer: measures one block of the mixer's output.
   *
   * @param heard the stems as they enter the mix, stem by stem: stem {@code s}'s interleaved stereo
   *     frames at {@code s * 2 * frames}; null for an ordinary track. Sanitised in place.
   * @param layout the stems, null for an ordinary track
   * @param mixed the mixer's output, interleaved, {@code mixChannels} per frame from {@code
   *     mixOffset}
   * @param presentationMicros when the block's first frame is heard (server wall clock)
   */
  public void accept(
      float[] heard,
      StemLayout layout,
      float[] mixed,
      int mixOffset,
      int frames,
      int mixChannels,
      int rate,
      long presentationMicros) {
    if (!wanted()) {
      measuring = false;
      return;
    }
    if (frames <= 0 || mixChannels < 1 || mixChannels > MAX_MIX_CHANNELS || rate < 8000) {
      return;
    }
    boolean fresh = !measuring || resetRequested || layout != this.layout || rate != this.rate;
    if (!measuring) {
      ring.restart(); // the last run's snapshots are not what plays now
    }
    measuring = true;
    if (mix == null || mix.channels != mixChannels || rate != this.rate) {
      mix = new Meter(rate, mixChannels); // a format change: the only time the meters allocate
    }
    int count = layout == null ? 0 : layout.count();
    for (int s = 0; s < count; s++) {
      if (stems[s] == null || stems[s].rate != rate) {
        stems[s] = new Meter(rate, 2);
      }
    }
    if (fresh) {
      resetRequested = false;
      mix.reset();
      for (int s = 0; s < count; s++) {
        stems[s].reset();
      }
    }
    this.layout = layout;
    this.rate = rate;
    int n = frames * mixChannels;
    if (clean.length < n) {
      clean = new float[n]; // a larger block than any before
    }
    AnalysisTap.sanitise(mixed, mixOffset, clean, 0, n);
    mix.accept(clean, 0, frames);
    if (count > 0) {
      AnalysisTap.sanitise(heard, 0, heard, 0, count * 2 * frames);
    }
    for (int s = 0; s < count; s++) {
      stems[s].accept(heard, s * 2 * frames, frames);
    }
    int base = ring.next();
    double[] d = ring.data();
    d[base + AT] = presentationMicros + (frames - 1) * 1_000_000L / rate;
    d[base + RATE] = rate;
    d[base + STEMS] = count;
    d[base + MIX_CHANNELS] = mixChannels;
    mix.store(d, base + MIX);
    for (int s = 0; s < count; s++) {
      stems[s].store(d, base + STEM0 + s * STEM_WIDTH);
    }
    ring.publish(layout);
  }

  /** Writer: see {@link PlayedRing#pause}. */
  void pause(long nowMicros) {
    ring.pause(nowMicros);
  }

  /** Writer: see {@link PlayedRing#resume}. */
  void resume(long nowMicros) {
    ring.resume(nowMicros);
  }

  /** Writer: snapshots of blocks not heard by {@code nowMicros} are forgotten. */
  void discardUnheard(long nowMicros) {
    ring.discardUnheard(nowMicros);
  }

  /**
   * Reader: copies into {@code dst} (length {@link #WIDTH}) the newest snapshot heard at or before
   * {@code nowMicros}. Returns its layout ({@link SnapshotRing#UNTAGGED} for an ordinary track), or
   * {@link SnapshotRing#NONE} when nothing is audible at {@code nowMicros}.
   */
  Object read(long nowMicros, double[] dst) {
    lastReadNanos = System.nanoTime();
    everRead = true;
    return ring.read(nowMicros, dst);
  }

  /** One stem's (or the mix's) meters. Output thread only. */
  private static final class Meter {
    final int rate;
    final int channels;
    final LevelMeter levels;
    final LoudnessMeter loudness;

    Meter(int rate, int channels) {
      this.rate = rate;
      this.channels = channels;
      this.levels = new LevelMeter(rate, channels, false); // a stem shows no correlation
      this.loudness = new LoudnessMeter(rate, channels);
    }

    void reset() {
      levels.reset();
      loudness.reset();
    }

    void accept(float[] src, int offset, int frames) {
      levels.accept(src, offset, frames);
      loudness.accept(src, offset, frames);
    }

    /** Writes this entry's values at {@code at}: loudness in LUFS, levels linear. */
    void store(double[] d, int at) {
      d[at + MOMENTARY] = loudness.momentary();
      d[at + SHORT_TERM] = loudness.shortTerm();
      for (int c = 0; c < channels; c++) {
        int p = at + CHANNEL0 + c * PER_CHANNEL;
        d[p] = levels.samplePeak[c];
        d[p + 1] = levels.meanSquare[c];
        d[p + 2] = levels.truePeakHeld[c];
        d[p + 3] = levels.truePeakMax[c];
      }
    }
  }
}
