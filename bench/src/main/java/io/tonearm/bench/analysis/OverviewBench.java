package io.tonearm.bench.analysis;

import io.tonearm.daemon.analysis.LoudnessAnalysis;
import io.tonearm.daemon.analysis.WaveformOverview;
import io.tonearm.daemon.decode.Decoders;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Offline jobs on 60 s of 48 kHz stereo in memory (overview) and on a WAV file (loudness with true
 * peak, for comparison with ffmpeg's ebur128 filter). Divide the audio length by the time for the
 * multiple of real time. The file is {@code -Dtonearm.bench.wav=PATH} (default tenmin.wav).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(1)
@State(Scope.Benchmark)
public class OverviewBench {

  private static final int RATE = 48_000;

  @Param({"256"})
  public int samplesPerPixel;

  private float[] minute;

  @Setup
  public void setup() {
    minute = MemoryDecoder.programme(RATE, 2, 60);
  }

  @Benchmark
  public byte[] overview60s() throws Exception {
    return WaveformOverview.dat(new MemoryDecoder(minute, RATE, 2), samplesPerPixel, 8, 2);
  }

  @Benchmark
  public LoudnessAnalysis.Result loudness60s() throws Exception {
    return LoudnessAnalysis.analyze(new MemoryDecoder(minute, RATE, 2));
  }

  @Benchmark
  public LoudnessAnalysis.Result loudnessWavFile() throws Exception {
    Path wav = Path.of(System.getProperty("tonearm.bench.wav", "tenmin.wav"));
    try (var d = Decoders.open(wav)) {
      return LoudnessAnalysis.analyze(d);
    }
  }
}
