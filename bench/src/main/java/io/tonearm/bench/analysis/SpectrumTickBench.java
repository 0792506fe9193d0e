package io.tonearm.bench.analysis;

import io.tonearm.daemon.analysis.AnalysisTap;
import io.tonearm.daemon.analysis.SpectrumSource;
import io.tonearm.proto.v1.BandLayout;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.SpectrumView;
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
 * One spectrum tick: locate the audible window, FFT (the tick time moves every call, so the FFT is
 * never served from the per-tick cache), map to the view, build and encode the Envelope.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class SpectrumTickBench {

  private static final long T0 = 1_700_000_000_000_000L;
  private static final int RATE = 48_000;

  @Param({"2048", "8192"})
  public int size;

  @Param({"LINEAR", "OCTAVE"})
  public String layout;

  private SpectrumSource source;
  private FrameView view;
  private long now;

  @Setup
  public void setup() {
    AnalysisTap tap = new AnalysisTap();
    float[] pcm = MemoryDecoder.programme(RATE, 2, 4);
    for (int f = 0; f + 1024 <= pcm.length / 2; f += 1024) {
      tap.accept(pcm, f * 2, 1024, 2, RATE, T0 + f * 1_000_000L / RATE);
    }
    source = new SpectrumSource(tap.ring());
    SpectrumView.Builder v = SpectrumView.newBuilder().setSize(size);
    if (layout.equals("OCTAVE")) {
      v.setLayout(BandLayout.BAND_LAYOUT_OCTAVE).setOctaveFraction(3);
    }
    view = source.normalize(FrameView.newBuilder().setTopic("spectrum").setSpectrum(v).build());
    now = T0 + 1_000_000;
  }

  @Benchmark
  public byte[] tick() {
    now += 21; // about one frame later: a new window, a new FFT
    if (now > T0 + 3_900_000) {
      now = T0 + 1_000_000;
    }
    return source.render(view, now).build().toByteArray();
  }
}
