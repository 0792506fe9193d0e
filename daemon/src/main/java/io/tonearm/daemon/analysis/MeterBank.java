package io.tonearm.daemon.analysis;

/**
 * Every meter of the playing stream, fed on the output thread, read on the ticker thread. After
 * each block the writer stores a snapshot (the values as of that block's last sample, stamped with
 * the time it is heard) in a {@link SnapshotRing} of {@value #SLOTS}; a reader takes the newest
 * snapshot heard at or before its time, so meters move with the sound, not ahead of it by the
 * output latency.
 *
 * <p>Integrated loudness and loudness range are recomputed once per 100 ms hop, not per block.
 */
public final class MeterBank {

  static final int SLOTS = 512;
  static final int HEAD = 11; // fields before the per-channel ones
  static final int PER_CHANNEL = 4;
  static final int WIDTH = HEAD + PER_CHANNEL * LoudnessMeter.MAX_CHANNELS;

  // Snapshot layout.
  static final int AT = SnapshotRing.AT;
  static final int RATE = SnapshotRing.RATE;
  static final int CHANNELS = 2;
  static final int MOMENTARY = 3;
  static final int SHORT_TERM = 4;
  static final int INTEGRATED = 5;
  static final int RANGE = 6;
  static final int MAX_TRUE_PEAK = 7;
  static final int CORRELATION = 8;
  static final int BALANCE = 9;
  static final int MAX_MOMENTARY = 10;

  /**
   * How long the meters keep measuring after the last read. The meters cost more than decoding a
   * FLAC (true peak is a 96-tap 4x oversampling filter per channel), so when no client watches them
   * they stop, and the next watcher sees them start afresh.
   */
  static final long WATCH_NANOS = 2_000_000_000L;

  private final boolean onDemand;
  private final SnapshotRing ring = new SnapshotRing(SLOTS, WIDTH);
  private volatile long lastReadNanos;
  private volatile boolean everRead;
  private boolean measuring;
  private volatile boolean resetRequested;
  private LoudnessMeter loudness;
  private LevelMeter levels;
  private double integrated = Double.NEGATIVE_INFINITY;
  private double range;
  private long lastHop = -1;

  /** Meters that measure every block, watched or not. */
  public MeterBank() {
    this(false);
  }

  /**
   * @param onDemand when true, blocks are measured only while {@link #read} was called within the
   *     last {@link #WATCH_NANOS}; integrated values then cover the time since measuring
   *     (re)started
   */
  public MeterBank(boolean onDemand) {
    this.onDemand = onDemand;
  }

  /** Writer: true when the next block should be measured. */
  boolean wanted() {
    return !onDemand || (everRead && System.nanoTime() - lastReadNanos < WATCH_NANOS);
  }

  /**
   * Writer: a block passed unmeasured because {@link #wanted} was false; as {@link #accept} does
   * then, the next measured block starts the integration afresh.
   */
  void skip() {
    measuring = false;
  }

  /** Asks the writer to forget everything measured; takes effect at its next block. Any thread. */
  public void requestReset() {
    resetRequested = true;
  }

  /** Writer: measures one sanitised interleaved block heard from {@code presentationMicros}. */
  void accept(
      float[] src, int offset, int frames, int channels, int rate, long presentationMicros) {
    if (!wanted()) {
      measuring = false;
      return;
    }
    if (!measuring) {
      measuring = true;
      resetRequested = true; // what was not measured cannot be integrated
      ring.restart(); // nor shown: the last run's snapshots are not what plays now
    }
    if (loudness == null || loudness.sampleRate() != rate || loudness.channels() != channels) {
      // A format change: the only time the meters allocate.
      loudness = new LoudnessMeter(rate, channels);
      levels = new LevelMeter(rate, channels);
      integrated = Double.NEGATIVE_INFINITY;
      range = 0;
      lastHop = -1;
    }
    if (resetRequested) {
      resetRequested = false;
      loudness.reset();
      levels.reset();
      integrated = Double.NEGATIVE_INFINITY;
      range = 0;
    }
    loudness.accept(src, offset, frames);
    levels.accept(src, offset, frames);
    long hop = loudness.gatingBlocks().blocks() + loudness.shortTermValues().blocks();
    if (hop != lastHop) {
      lastHop = hop;
      integrated = loudness.integrated();
      range = loudness.loudnessRange();
    }
    int base = ring.next();
    double[] s = ring.data();
    s[base + AT] = presentationMicros + (frames - 1) * 1_000_000L / rate;
    s[base + RATE] = rate;
    s[base + CHANNELS] = channels;
    s[base + MOMENTARY] = loudness.momentary();
    s[base + SHORT_TERM] = loudness.shortTerm();
    s[base + INTEGRATED] = integrated;
    s[base + RANGE] = range;
    s[base + MAX_TRUE_PEAK] = levels.maxTruePeak();
    s[base + CORRELATION] = levels.correlation();
    s[base + BALANCE] = levels.balance();
    s[base + MAX_MOMENTARY] = loudness.maxMomentary();
    for (int c = 0; c < channels; c++) {
      int p = base + HEAD + c * PER_CHANNEL;
      s[p] = levels.samplePeak[c];
      s[p + 1] = levels.meanSquare[c];
      s[p + 2] = levels.truePeakHeld[c];
      s[p + 3] = levels.truePeakMax[c];
    }
    ring.publish(null);
  }

  /** Writer: the output paused at {@code nowMicros}; see {@link PlayedRing#pause}. */
  void pause(long nowMicros) {
    ring.pause(nowMicros);
  }

  /** Writer: the output resumed; snapshots not heard at the pause are heard that much later. */
  void resume(long nowMicros) {
    ring.resume(nowMicros);
  }

  /**
   * Writer: the output dropped what it held at {@code nowMicros} (at the pause when paused): the
   * snapshots of blocks not yet heard are forgotten. What those blocks added to integrated
   * loudness, loudness range and the maxima stays (at most the output's latency of audio).
   */
  void discardUnheard(long nowMicros) {
    ring.discardUnheard(nowMicros);
  }

  /**
   * Reader: copies into {@code dst} (length {@link #WIDTH}) the newest snapshot heard at or before
   * {@code nowMicros}. Returns false when there is none, or when nothing is audible at {@code
   * nowMicros} (paused, or past the last block measured: stopped, flushed, the end of the queue).
   */
  public boolean read(long nowMicros, double[] dst) {
    if (onDemand) {
      lastReadNanos = System.nanoTime();
      everRead = true;
    }
    return ring.read(nowMicros, dst) != SnapshotRing.NONE;
  }
}
