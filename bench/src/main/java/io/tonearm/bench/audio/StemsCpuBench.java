package io.tonearm.bench.audio;

import io.tonearm.daemon.analysis.AnalysisTap;
import io.tonearm.daemon.audio.AudioEngine;
import io.tonearm.daemon.audio.EngineListener;
import io.tonearm.daemon.audio.Play;
import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.dsp.MixerSettings;
import io.tonearm.daemon.dsp.PcmTap;
import io.tonearm.daemon.dsp.StemMixer;
import io.tonearm.daemon.output.Output;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Thread CPU of the engine (decoder and output threads) playing a stem set beside the same music as
 * one stereo file: the engine runs free (an output that is always writable and counts what it gets
 * as heard), so a run measures the CPU per second of audio without waiting for real time, and the
 * machine's load changes the wall time but hardly the thread CPU. The mix meters (loudness, true
 * peak, RMS of the analysis tap) measure every block in both runs; the stem set runs through the
 * mixer with non-neutral strips (gains, a pan, a mute) so that every ramp-free path is taken; a
 * third run adds the per-stem meters (peak, RMS, true peak and loudness of each stem and the mix,
 * what topic {@code stem_meters} shows). Runs alternate the three; medians printed.
 *
 * <p>{@code java -cp bench/target/tonearm-bench.jar io.tonearm.bench.audio.StemsCpuBench --stems
 * DIR.stems --stereo FILE.flac [--runs 5] [--passes 3]}
 */
public final class StemsCpuBench {

  public static void main(String[] args) throws Exception {
    Path stems = null;
    Path stereo = null;
    int runs = 5;
    int passes = 3;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--stems" -> stems = Path.of(args[i + 1]);
        case "--stereo" -> stereo = Path.of(args[i + 1]);
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        case "--passes" -> passes = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (stems == null || stereo == null) {
      throw new IllegalArgumentException("--stems DIR and --stereo FILE are required");
    }
    measure(stereo, passes, false, false); // warm-up of every path: the JIT, the file cache
    measure(stems, passes, true, false);
    measure(stems, passes, true, true);
    List<Double> a = new ArrayList<>();
    List<Double> b = new ArrayList<>();
    List<Double> c = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      a.add(measure(stereo, passes, false, false));
      b.add(measure(stems, passes, true, false));
      c.add(measure(stems, passes, true, true));
      System.out.printf(
          Locale.ROOT,
          "run %d: stereo %.2f ms, stems %.2f ms, stems + stem meters %.2f ms CPU per s of audio%n",
          r + 1,
          a.get(r),
          b.get(r),
          c.get(r));
    }
    double ma = median(a);
    double mb = median(b);
    double mc = median(c);
    System.out.printf(
        Locale.ROOT,
        "median: stereo %.2f ms/s (%.2f%% of a core in real time), stems %.2f ms/s (%.2f%%, %.2fx),"
            + " stems + stem meters %.2f ms/s (%.2f%%, %.2fx)%n",
        ma,
        ma / 10,
        mb,
        mb / 10,
        mb / ma,
        mc,
        mc / 10,
        mc / ma);
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  /**
   * Plays {@code file} {@code passes} times; engine thread CPU in ms per second of audio. The mix
   * meters measure every block; with {@code stemMeters} the per-stem meters (each stem and the
   * mixer's output) do too, as while a client watches topic {@code stem_meters}.
   */
  static double measure(Path file, int passes, boolean mix, boolean stemMeters) throws Exception {
    FreeOutput out = new FreeOutput();
    CountDownLatch ended = new CountDownLatch(1);
    StemMixer mixer = new StemMixer();
    if (mix) {
      mixer.apply(
          new MixerSettings(
              0.5f,
              0.9f,
              Map.of(
                  "drums", new MixerSettings.Strip(0.7f, false, false, 0.2f),
                  "other", new MixerSettings.Strip(1f, true, false, 0f))));
    }
    AnalysisTap analysis = new AnalysisTap(false);
    PcmTap tap = stemMeters ? analysis : new MixMetersOnly(analysis);
    AudioEngine engine =
        new AudioEngine(
            tap,
            new EngineListener() {
              @Override
              public void decoderAdvanced(Play from, Play to) {}

              @Override
              public void playFailed(Play play, String reason) {
                System.err.println("failed: " + reason);
                ended.countDown();
              }

              @Override
              public void playStarted(Play play, long itemFrame, long heardMicros) {}

              @Override
              public void endOfStream(long generation) {
                ended.countDown();
              }

              @Override
              public void outputFailed(String outputId, String reason) {}
            },
            1f,
            0,
            List.of(),
            mixer);
    engine.start();
    engine.setOutputs(List.of(out)).get();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long before = engineCpu(mx);
    List<io.tonearm.daemon.decode.Decoder> decoders = new ArrayList<>();
    for (int p = 0; p < passes; p++) {
      decoders.add(Decoders.open(file));
    }
    int rate = decoders.get(0).format().sampleRate();
    engine.load(new Play(1, "p0", 1f), decoders.get(0), 0);
    for (int p = 1; p < passes; p++) {
      // gapless chain: each pass follows the last; primed as soon as the previous one started
      while (!heard(engine).equals("p" + (p - 1))) {
        Thread.sleep(1);
      }
      engine.setNext(p, new Play(p + 1, "p" + p, 1f), decoders.get(p));
    }
    while (!heard(engine).equals("p" + (passes - 1))) {
      Thread.sleep(1);
    }
    engine.setNext(passes, null, null);
    if (!ended.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("playback did not end");
    }
    long cpu = engineCpu(mx) - before;
    double seconds = out.framesWritten() / (double) rate;
    engine.close();
    return cpu / 1e6 / seconds;
  }

  private static String heard(AudioEngine engine) {
    Play p = engine.clock().now().play();
    return p == null ? "" : p.itemId();
  }

  private static long engineCpu(ThreadMXBean mx) {
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("tonearm-decoder") || t.getName().equals("tonearm-output")) {
        long c = mx.getThreadCpuTime(t.getId());
        sum += Math.max(0, c);
      }
    }
    return sum;
  }

  /** The analysis tap without the per-stem meters (it never asks for them). */
  static final class MixMetersOnly implements PcmTap {
    private final AnalysisTap tap;

    MixMetersOnly(AnalysisTap tap) {
      this.tap = tap;
    }

    @Override
    public void accept(float[] s, int offset, int frames, int channels, int rate, long at) {
      tap.accept(s, offset, frames, channels, rate, at);
    }

    @Override
    public void discontinuity(long nowMicros) {
      tap.discontinuity(nowMicros);
    }

    @Override
    public void pause(long nowMicros) {
      tap.pause(nowMicros);
    }

    @Override
    public void resume(long nowMicros) {
      tap.resume(nowMicros);
    }

    @Override
    public void trackChanged(String itemId, long presentationMicros) {
      tap.trackChanged(itemId, presentationMicros);
    }
  }

  /** A clock output that is always writable and has played whatever it was given. */
  static final class FreeOutput implements Output {
    private long written;
    private boolean open;

    @Override
    public String id() {
      return "free";
    }

    @Override
    public String description() {
      return "free-running";
    }

    @Override
    public boolean paced() {
      return true;
    }

    @Override
    public void open(int sampleRate, int channels) {
      open = true;
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void write(float[] interleaved, int offset, int frames) {
      written += frames;
    }

    @Override
    public void pause() {}

    @Override
    public void resume() {}

    @Override
    public void flush() {}

    @Override
    public void drain() {}

    @Override
    public void close() {
      open = false;
    }

    @Override
    public long framesWritten() {
      return written;
    }

    @Override
    public long framesPlayed() {
      return written;
    }

    @Override
    public long latencyMicros() {
      return 0;
    }
  }
}
