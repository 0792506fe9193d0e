package io.tonearm.bench.output;

import io.tonearm.daemon.output.Quantizer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost per stereo frame at 44.1 kHz (real time is 22676 ns per frame) of the integer outputs'
 * conversion ({@link Quantizer}), which the HTTP stream does once per word length in use, whatever
 * the number of listeners: at unity (whole words: checked, not dithered) and after a gain
 * (dithered, or rounded with dither off), for 16 and 24 bits.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class QuantizerBench {

  private static final int BLOCK = 882; // 20 ms

  @Param({"16", "24"})
  public int bits;

  private float[] unity;
  private float[] gained;
  private byte[] out;
  private Quantizer dither;
  private Quantizer round;

  @Setup(Level.Trial)
  public void setup() {
    unity = new float[BLOCK * 2];
    gained = new float[BLOCK * 2];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < unity.length; i++) {
      unity[i] = (r.nextInt(65536) - 32768) / 32768f; // 16-bit words, as a 16-bit source
      gained[i] = unity[i] * 0.5012f; // -6 dB
    }
    out = new byte[unity.length * 3];
    dither = new Quantizer(bits, true);
    round = new Quantizer(bits, false);
  }

  @Benchmark
  @OperationsPerInvocation(BLOCK)
  public int convertUnity() {
    return dither.toLittleEndian(unity, 0, unity.length, out, 0);
  }

  @Benchmark
  @OperationsPerInvocation(BLOCK)
  public int convertGainDithered() {
    return dither.toLittleEndian(gained, 0, gained.length, out, 0);
  }

  @Benchmark
  @OperationsPerInvocation(BLOCK)
  public int convertGainRounded() {
    return round.toLittleEndian(gained, 0, gained.length, out, 0);
  }
}
