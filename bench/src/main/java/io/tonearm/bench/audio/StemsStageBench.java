package io.tonearm.bench.audio;

import io.tonearm.daemon.analysis.AnalysisTap;
import io.tonearm.daemon.analysis.LoudnessMeter;
import io.tonearm.daemon.analysis.StemMeterBank;
import io.tonearm.daemon.analysis.StemMeterSource;
import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.decode.StemLayout;
import io.tonearm.daemon.dsp.MixerSettings;
import io.tonearm.daemon.dsp.StemMixer;
import io.tonearm.daemon.dsp.TruePeak;
import io.tonearm.proto.v1.FrameView;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the engine's time goes for a stem set beside the same music as one stereo file, stage by
 * stage, as thread CPU of this thread per second of audio: decoding (the stereo file, the stem set
 * in lockstep), the mixer (with the strips of {@link StemsCpuBench}), the main meters (the analysis
 * tap on the mix), the per-stem meters (every stem and the mix), and inside those the K-weighted
 * loudness and the true-peak search of one stem's two channels, and building and encoding 30 stem
 * meter frames per second. Every stage but decoding runs on audio decoded beforehand, in the
 * engine's 20 ms blocks; each figure is the median of {@code --runs} passes over the whole track.
 *
 * <p>{@code java -cp bench/target/tonearm-bench.jar io.tonearm.bench.audio.StemsStageBench --stems
 * DIR.stems --stereo FILE.flac [--runs 5]}
 */
public final class StemsStageBench {

  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    Path stems = null;
    Path stereo = null;
    int runs = 5;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--stems" -> stems = Path.of(args[i + 1]);
        case "--stereo" -> stereo = Path.of(args[i + 1]);
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (stems == null || stereo == null) {
      throw new IllegalArgumentException("--stems DIR and --stereo FILE are required");
    }
    Path stemsDir = stems;
    Path stereoFile = stereo;
    Blocks plain = decodeAll(stereoFile, false);
    Blocks set = decodeAll(stemsDir, true);
    Mixed mixed = mix(set);
    double seconds = plain.frames / (double) plain.rate;
    double stemSeconds = set.frames / (double) set.rate;
    Map<String, Stage> stages = new LinkedHashMap<>();
    stages.put("decode stereo FLAC", () -> decodeCpu(stereoFile, false));
    stages.put("decode 4-stem FLAC set (lockstep)", () -> decodeCpu(stemsDir, true));
    stages.put("mixer (4 stems to stereo, stems as heard)", () -> mixCpu(set, mixed));
    stages.put(
        "main meters on the stereo file (analysis tap)", () -> mainMeters(plain.blocks, 2, plain));
    stages.put("main meters on the mix (analysis tap)", () -> mainMeters(mixed.mix, 2, set));
    stages.put("per-stem meters: 4 stems + mix", () -> stemMeters(mixed, set, false));
    stages.put("  of which loudness (K-weighting), 4 stems", () -> loudness(mixed, set));
    stages.put("  of which true-peak search, 4 stems", () -> truePeak(mixed, set));
    stages.put("stem meter frames: 30/s built + encoded", () -> stemMeters(mixed, set, true));
    System.out.printf(
        Locale.ROOT,
        "reported values (a hash of every meters and stem_meters frame, one after each block):"
            + " %016x%n",
        reportedHash(plain, set, mixed));
    for (int r = 0; r < 2; r++) { // warm-up: the JIT, the file cache
      for (Stage s : stages.values()) {
        s.run();
      }
    }
    System.out.printf(
        Locale.ROOT, "%-48s %s%n", "stage", "thread CPU ms per s of audio (runs, median)");
    for (Map.Entry<String, Stage> e : stages.entrySet()) {
      List<Double> ms = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        ms.add(e.getValue().cpuMs() / (e.getKey().contains("stereo") ? seconds : stemSeconds));
      }
      List<Double> sorted = new ArrayList<>(ms);
      sorted.sort(null);
      StringBuilder line = new StringBuilder();
      for (double v : ms) {
        line.append(String.format(Locale.ROOT, "%.3f ", v));
      }
      System.out.printf(
          Locale.ROOT, "%-48s %s-> %.3f%n", e.getKey(), line, sorted.get(sorted.size() / 2));
    }
  }

  /** One stage: runs it once and returns the thread CPU of the part it measures, ns. */
  @FunctionalInterface
  interface Stage {
    long run() throws Exception;

    default double cpuMs() throws Exception {
      return run() / 1e6;
    }
  }

  private static long cpu() {
    return MX.getCurrentThreadCpuTime();
  }

  /** A track decoded in the engine's 20 ms blocks. */
  record Blocks(
      List<float[]> blocks, List<Integer> counts, int rate, long frames, StemLayout layout) {}

  /** The mixer's output and the stems as they entered it, block by block. */
  record Mixed(List<float[]> mix, List<float[]> heard, long frames) {}

  static Blocks decodeAll(Path file, boolean stems) throws Exception {
    try (Decoder d = Decoders.open(file)) {
      int rate = d.format().sampleRate();
      int max = rate / 50;
      StemLayout layout = d.stems();
      int width = stems ? 2 * layout.count() : d.format().channels();
      List<float[]> blocks = new ArrayList<>();
      List<Integer> counts = new ArrayList<>();
      long frames = 0;
      while (true) {
        float[] b = new float[max * width];
        int n = stems ? d.readStems(b, 0, max) : d.read(b, 0, max);
        if (n <= 0) {
          break;
        }
        blocks.add(b);
        counts.add(n);
        frames += n;
      }
      return new Blocks(blocks, counts, rate, frames, layout);
    }
  }

  /** Decodes the whole file in 20 ms blocks into one reused buffer. */
  static long decodeCpu(Path file, boolean stems) throws Exception {
    long before = cpu();
    try (Decoder d = Decoders.open(file)) {
      int max = d.format().sampleRate() / 50;
      int width = stems ? 2 * d.stems().count() : d.format().channels();
      float[] b = new float[max * width];
      while ((stems ? d.readStems(b, 0, max) : d.read(b, 0, max)) > 0) {
        // decoding is the work
      }
    }
    return cpu() - before;
  }

  /** Mixes every block again into buffers made beforehand. */
  static long mixCpu(Blocks set, Mixed into) {
    StemMixer mixer = mixer();
    long before = cpu();
    for (int i = 0; i < set.blocks.size(); i++) {
      mixer.mix(set.blocks.get(i), 0, set.counts.get(i), set.layout, set.rate, into.heard.get(i));
    }
    return cpu() - before;
  }

  static StemMixer mixer() {
    StemMixer mixer = new StemMixer();
    mixer.apply(
        new MixerSettings(
            0.5f,
            0.9f,
            Map.of(
                "drums", new MixerSettings.Strip(0.7f, false, false, 0.2f),
                "other", new MixerSettings.Strip(1f, true, false, 0f))));
    return mixer;
  }

  static Mixed mix(Blocks set) {
    StemMixer mixer = mixer();
    List<float[]> mix = new ArrayList<>();
    List<float[]> heard = new ArrayList<>();
    long frames = 0;
    int count = set.layout.count();
    for (int i = 0; i < set.blocks.size(); i++) {
      int n = set.counts.get(i);
      float[] h = new float[2 * n * count];
      float[] m = mixer.mix(set.blocks.get(i), 0, n, set.layout, set.rate, h);
      mix.add(java.util.Arrays.copyOf(m, 2 * n));
      heard.add(h);
      frames += n;
    }
    return new Mixed(mix, heard, frames);
  }

  static long mainMeters(List<float[]> blocks, int channels, Blocks format) {
    AnalysisTap tap = new AnalysisTap(false);
    long before = cpu();
    long at = 0;
    for (int i = 0; i < blocks.size(); i++) {
      int n = format.counts.get(i);
      tap.accept(blocks.get(i), 0, n, channels, format.rate, at);
      at += n * 1_000_000L / format.rate;
    }
    return cpu() - before;
  }

  /**
   * The per-stem meters over the track, or with {@code frames} only the building and encoding of 30
   * frames a second from them.
   */
  static long stemMeters(Mixed m, Blocks set, boolean frames) {
    StemMeterBank bank = new StemMeterBank(false);
    StemMeterSource source = new StemMeterSource(bank);
    FrameView view = source.normalize(FrameView.getDefaultInstance());
    long at = 1_000_000;
    long nextFrame = at;
    long bytes = 0;
    long meterCpu = 0;
    long frameCpu = 0;
    for (int i = 0; i < m.mix.size(); i++) {
      int n = set.counts.get(i);
      long t0 = cpu();
      bank.accept(m.heard.get(i), set.layout, m.mix.get(i), 0, n, 2, set.rate, at);
      long t1 = cpu();
      meterCpu += t1 - t0;
      at += n * 1_000_000L / set.rate;
      if (frames) {
        while (nextFrame <= at) {
          var f = source.render(view, nextFrame);
          if (f != null) {
            bytes += f.build().toByteArray().length;
          }
          nextFrame += 1_000_000 / 30;
        }
        frameCpu += cpu() - t1;
      }
    }
    if (bytes == 0 && frames) {
      throw new IllegalStateException("no stem meter frame was built");
    }
    return frames ? frameCpu : meterCpu;
  }

  /**
   * A hash of what the meters report: a {@code meters} frame of the stereo file and of the mix, and
   * a {@code stem_meters} frame, rendered after every block at its last sample's time; equal hashes
   * for two builds mean they report the same values, bit for bit.
   */
  static long reportedHash(Blocks plain, Blocks set, Mixed m) {
    long h = 1125899906842597L;
    for (int pass = 0; pass < 2; pass++) {
      List<float[]> blocks = pass == 0 ? plain.blocks : m.mix;
      Blocks format = pass == 0 ? plain : set;
      AnalysisTap tap = new AnalysisTap(false);
      var sources = io.tonearm.daemon.analysis.AnalysisSources.of(tap);
      var meters = sources.get(io.tonearm.daemon.events.Topic.METERS);
      var stems = sources.get(io.tonearm.daemon.events.Topic.STEM_METERS);
      FrameView mv = meters.normalize(FrameView.getDefaultInstance());
      FrameView sv = stems.normalize(FrameView.getDefaultInstance());
      long at = 1_000_000;
      for (int i = 0; i < blocks.size(); i++) {
        int n = format.counts.get(i);
        tap.accept(blocks.get(i), 0, n, 2, format.rate, at);
        if (pass == 1) {
          tap.mixed(m.heard.get(i), set.layout, m.mix.get(i), 0, n, 2, set.rate, at);
        }
        at += n * 1_000_000L / format.rate;
        for (var f :
            new io.tonearm.proto.v1.Envelope.Builder[] {
              meters.render(mv, at), pass == 1 ? stems.render(sv, at) : null
            }) {
          if (f != null) {
            h = 31 * h + java.util.Arrays.hashCode(f.build().toByteArray());
          }
        }
      }
    }
    return h;
  }

  static long loudness(Mixed m, Blocks set) {
    int count = set.layout.count();
    LoudnessMeter[] meters = new LoudnessMeter[count];
    for (int s = 0; s < count; s++) {
      meters[s] = new LoudnessMeter(set.rate, 2);
    }
    long before = cpu();
    for (int i = 0; i < m.heard.size(); i++) {
      int n = set.counts.get(i);
      for (int s = 0; s < count; s++) {
        meters[s].accept(m.heard.get(i), s * 2 * n, n);
      }
    }
    return cpu() - before;
  }

  /** The true-peak search as the level meter runs it: above the falling hold, per channel. */
  static long truePeak(Mixed m, Blocks set) {
    int count = set.layout.count();
    TruePeak[] tp = new TruePeak[count];
    double[] held = new double[count * 2];
    for (int s = 0; s < count; s++) {
      tp[s] = new TruePeak(set.rate, 2);
    }
    long before = cpu();
    for (int i = 0; i < m.heard.size(); i++) {
      int n = set.counts.get(i);
      double fall = Math.pow(10, -20 / 1.7 * n / set.rate / 20);
      float[] h = m.heard.get(i);
      for (int s = 0; s < count; s++) {
        for (int c = 0; c < 2; c++) {
          double floor = held[2 * s + c] * fall;
          float peak = 0;
          for (int k = 0, p = s * 2 * n + c; k < n; k++, p += 2) {
            peak = Math.max(peak, Math.abs(h[p]));
          }
          float v = Math.max(peak, tp[s].peakAbove(h, s * 2 * n + c, 2, n, c, floor));
          held[2 * s + c] = Math.max(v, floor);
        }
      }
    }
    return cpu() - before;
  }
}
