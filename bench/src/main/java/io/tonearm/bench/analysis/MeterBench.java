package io.tonearm.bench.analysis;

import io.tonearm.daemon.analysis.AnalysisTap;
import io.tonearm.daemon.analysis.LoudnessMeter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost per stereo frame at 48 kHz of what the output thread pays: the whole tap (sanitise, every
 * meter incl. 4x true peak, ring write) and the BS.1770 loudness meter alone. Real time is 20833 ns
 * per frame.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class MeterBench {

  private static final int RATE = 48_000;
  private static final int BLOCK = 1024;

  private AnalysisTap tap;
  private LoudnessMeter loudness;
  private float[] pcm;
  private int at;
  private long micros;

  @Setup
  public void setup() {
    tap = new AnalysisTap();
    loudness = new LoudnessMeter(RATE, 2);
    pcm = MemoryDecoder.programme(RATE, 2, 10);
  }

  private int next() {
    at += BLOCK;
    if ((at + BLOCK) * 2 > pcm.length) {
      at = 0;
    }
    return at * 2;
  }

  @Benchmark
  @OperationsPerInvocation(BLOCK)
  public void tapPerFrame() {
    tap.accept(pcm, next(), BLOCK, 2, RATE, micros);
    micros += BLOCK * 1_000_000L / RATE;
  }

  @Benchmark
  @OperationsPerInvocation(BLOCK)
  public void loudnessOnlyPerFrame() {
    loudness.accept(pcm, next(), BLOCK);
  }
}
