package io.tonearm.bench.analysis;

import io.tonearm.daemon.analysis.LoudnessAnalysis;
import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;

/**
 * Times {@link LoudnessAnalysis} (integrated, LRA, 4x true peak) on one file, once to warm up then
 * three times, printing wall and CPU time and the values, for comparison with {@code ffmpeg
 * -nostats -i FILE -filter_complex ebur128=peak=true -f null -} on the same file.
 *
 * <p>Usage: {@code java -cp bench/target/tonearm-bench.jar
 * io.tonearm.bench.analysis.LoudnessFileRun tenmin.wav}
 */
public final class LoudnessFileRun {

  private LoudnessFileRun() {}

  public static void main(String[] args) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int run = 0; run < 4; run++) {
      long wall = System.nanoTime();
      long cpu = threads.getCurrentThreadCpuTime();
      LoudnessAnalysis.Result r;
      try (Decoder d = Decoders.open(Path.of(args[0]))) {
        r = LoudnessAnalysis.analyze(d);
      }
      System.out.printf(
          "%s: %.0f ms wall, %.0f ms cpu; I %.2f LUFS, LRA %.2f LU, TP %.2f dBTP, RG %.2f dB%n",
          run == 0 ? "warm-up" : "run " + run,
          (System.nanoTime() - wall) / 1e6,
          (threads.getCurrentThreadCpuTime() - cpu) / 1e6,
          r.integratedLufs(),
          r.loudnessRangeLu(),
          r.truePeakDbtp(),
          r.replayGainDb());
    }
  }
}
