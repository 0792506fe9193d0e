package io.tonearm.bench.analysis;

import io.tonearm.daemon.analysis.LoudnessAnalysis;
import io.tonearm.daemon.analysis.LoudnessMeter;
import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.dsp.TruePeak;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Where a loudness analysis of one file spends its CPU, stage by stage: the decoder alone, then the
 * decoder with the K-weighting meter, with the true-peak screen ({@code TruePeak.peakAbove} per
 * channel against the running maximum, as the analysis calls it), and the whole analysis ({@code
 * LoudnessAnalysis.Track}); each stage's extra over "decode" is its cost. Then the true-peak
 * loading alone (a floor no block reaches, so only the loading and the group peaks run) on the
 * file's own blocks held in memory and on one block of Gaussian noise run as often: a difference
 * between the two is the branch predictor's, not the work's. Two rounds after a warm-up, CPU of
 * this thread in ms.
 *
 * <p>Usage: {@code java <README JVM options> -Xmx1g -cp bench/target/tonearm-bench.jar
 * io.tonearm.bench.analysis.LoudnessStages FILE} (the file's decoded samples are held in memory for
 * the last part: 4 bytes per sample).
 */
public final class LoudnessStages {

  private static final int BLOCK = 4096;

  private LoudnessStages() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String[] stages = {"decode", "decode+k-weighting", "decode+true-peak", "analysis"};
    for (int round = 0; round < 3; round++) {
      StringBuilder line = new StringBuilder(round == 0 ? "warm-up:" : "round " + round + ":");
      for (String stage : stages) {
        long cpu = threads.getCurrentThreadCpuTime();
        stage(file, stage);
        line.append(
            String.format(" %s %.0f ms;", stage, (threads.getCurrentThreadCpuTime() - cpu) / 1e6));
      }
      System.out.println(line);
    }
    List<float[]> blocks = new ArrayList<>();
    int channels;
    try (Decoder d = Decoders.open(file)) {
      channels = d.format().channels();
      for (float[] b = new float[BLOCK * channels]; d.read(b, 0, BLOCK) == BLOCK; ) {
        blocks.add(b);
        b = new float[BLOCK * channels];
      }
    }
    float[] noise = new float[BLOCK * channels];
    Random rnd = new Random(1);
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) (rnd.nextGaussian() * 0.2);
    }
    for (int round = 0; round < 3; round++) {
      long music = loadOnly(blocks, null, channels, threads);
      long gauss = loadOnly(blocks, noise, channels, threads);
      if (round > 0) {
        System.out.printf(
            "round %d: true-peak loading, the file's %d blocks %.0f ms; a noise block as often %.0f ms%n",
            round, blocks.size(), music / 1e6, gauss / 1e6);
      }
    }
  }

  private static void stage(Path file, String stage) throws Exception {
    try (Decoder d = Decoders.open(file)) {
      int ch = d.format().channels();
      int rate = d.format().sampleRate();
      float[] buf = new float[BLOCK * ch];
      LoudnessMeter meter = new LoudnessMeter(rate, ch);
      TruePeak tp = new TruePeak(rate, ch);
      LoudnessAnalysis.Track track = new LoudnessAnalysis.Track(rate, ch);
      double peak = 0;
      for (int n; (n = d.read(buf, 0, BLOCK)) > 0; ) {
        switch (stage) {
          case "decode" -> {}
          case "decode+k-weighting" -> meter.accept(buf, 0, n);
          case "decode+true-peak" -> {
            for (int c = 0; c < ch; c++) {
              peak = Math.max(peak, tp.peakAbove(buf, c, ch, n, c, peak));
            }
          }
          default -> track.accept(buf, 0, n);
        }
      }
    }
  }

  private static long loadOnly(List<float[]> blocks, float[] instead, int ch, ThreadMXBean t) {
    TruePeak tp = new TruePeak(48_000, ch);
    long cpu = t.getCurrentThreadCpuTime();
    for (float[] b : blocks) {
      float[] src = instead == null ? b : instead;
      for (int c = 0; c < ch; c++) {
        tp.peakAbove(src, c, ch, BLOCK, c, Double.MAX_VALUE);
      }
    }
    return t.getCurrentThreadCpuTime() - cpu;
  }
}
