package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tonearm.daemon.events.FrameBody;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.ValueEncoding;
import io.tonearm.proto.v1.WaveformFrame;
import io.tonearm.proto.v1.WaveformMode;
import io.tonearm.proto.v1.WaveformView;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WaveformSourceTest {

  private final AnalysisTap tap = new AnalysisTap();
  private final WaveformSource source = new WaveformSource(tap.ring());

  private FrameView view(WaveformView.Builder v, int fps) {
    return source.normalize(
        FrameView.newBuilder().setTopic("waveform").setFps(fps).setWaveform(v).build());
  }

  /** The frame as the stream sends it; its bytes are protobuf's encoding of what they parse to. */
  private WaveformFrame render(FrameView v, long now) {
    FrameBody out = new FrameBody();
    assertEquals(Envelope.WAVEFORM_FIELD_NUMBER, source.renderWire(v, now, out));
    byte[] bytes = Arrays.copyOf(out.array(), out.length());
    try {
      WaveformFrame f = WaveformFrame.parseFrom(bytes);
      assertArrayEquals(f.toByteArray(), bytes);
      return f;
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void columnsHoldMinMaxAndRmsOfTheHeardAudio() {
    FakeOutput out = new FakeOutput(tap, 48_000, 2);
    out.sine(1000, -6, 1);
    FrameView v = view(WaveformView.newBuilder().setColumns(20).setSpanMs(20), 60);
    long now = out.nextMicros();
    WaveformFrame f = render(v, now);
    assertEquals(20, f.getMin().getF32Count());
    double a = Signals.amp(-6);
    // 20 ms in 20 columns: each column is one 1 kHz period (48 samples).
    for (int c = 0; c < 20; c++) {
      assertEquals(-a, f.getMin().getF32(c), 1e-3);
      assertEquals(a, f.getMax().getF32(c), 1e-3);
      assertEquals(a / Math.sqrt(2), f.getRms().getF32(c), 1e-3);
    }
    assertTrue(f.getPresentationUs() <= now && f.getPresentationUs() > now - 100);
  }

  @Test
  void scopeStartsAtARisingZeroCrossing() {
    FakeOutput out = new FakeOutput(tap, 48_000, 1);
    Signals.sine(48_000, 440, new double[] {0.5}, 0.5, 1.0, 0, out::play);
    FrameView v =
        view(
            WaveformView.newBuilder().setMode(WaveformMode.WAVEFORM_MODE_SCOPE).setColumns(256),
            30);
    WaveformFrame f = render(v, out.nextMicros());
    assertTrue(f.getTriggered());
    assertTrue(f.getMin().getF32(0) >= 0 && f.getMin().getF32(0) < 0.05);
    assertTrue(f.getMin().getF32(5) > f.getMin().getF32(0));
  }

  @Test
  void silenceIsUntriggered() {
    FakeOutput out = new FakeOutput(tap, 48_000, 2);
    out.silence(0.5);
    FrameView v =
        view(
            WaveformView.newBuilder().setMode(WaveformMode.WAVEFORM_MODE_SCOPE).setColumns(64), 30);
    assertFalse(render(v, out.nextMicros()).getTriggered());
  }

  @Test
  void uint8MapsMinusOneToZeroAndOneTo255() {
    FakeOutput out = new FakeOutput(tap, 48_000, 2);
    float[] square = new float[2 * 480];
    for (int i = 0; i < 480; i++) {
      square[2 * i] = square[2 * i + 1] = (i / 24) % 2 == 0 ? 1f : -1f;
    }
    out.play(square, 480);
    FrameView v =
        view(
            WaveformView.newBuilder()
                .setColumns(16)
                .setSpanMs(10)
                .setEncoding(ValueEncoding.VALUE_ENCODING_UINT8),
            30);
    WaveformFrame f = render(v, out.nextMicros());
    byte[] min = f.getMin().getU8().toByteArray();
    byte[] max = f.getMax().getU8().toByteArray();
    byte[] rms = f.getRms().getU8().toByteArray();
    assertEquals(0, min[0] & 0xFF);
    assertEquals(255, max[0] & 0xFF);
    assertEquals(255, rms[0] & 0xFF);
  }

  @Test
  void outOfRangeViewsNameTheirLimit() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> view(WaveformView.newBuilder().setColumns(8), 30));
    assertTrue(e.getMessage().contains("4096"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> view(WaveformView.newBuilder().setSpanMs(60_000), 30));
    assertTrue(e.getMessage().contains("2000"));
  }

  @Test
  void columnsAreTheEqualSlicesOfTheirDefinition() {
    java.util.Random r = new java.util.Random(7);
    for (int n : new int[] {1, 15, 16, 17, 767, 768, 769, 48_000, 262_144}) {
      for (int columns : new int[] {16, 17, 512, 1000, 4096}) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
          x[i] = r.nextFloat() * 2 - 1;
        }
        float[] min = new float[columns];
        float[] max = new float[columns];
        float[] rms = new float[columns];
        WaveformSource.columns(x, n, columns, min, max, rms);
        for (int c = 0; c < columns; c++) {
          int from = (int) ((long) c * n / columns);
          int to = (int) ((long) (c + 1) * n / columns);
          float lo;
          float hi;
          float root;
          if (to <= from) {
            float s = x[Math.min(from, n - 1)];
            lo = s;
            hi = s;
            root = Math.abs(s);
          } else {
            lo = Float.MAX_VALUE;
            hi = -Float.MAX_VALUE;
            double sq = 0;
            for (int i = from; i < to; i++) {
              lo = Math.min(lo, x[i]);
              hi = Math.max(hi, x[i]);
              sq += x[i] * x[i];
            }
            root = (float) Math.sqrt(sq / (to - from));
          }
          String at = n + " samples, " + columns + " columns, column " + c;
          assertEquals(lo, min[c], 0f, at);
          assertEquals(hi, max[c], 0f, at);
          assertEquals(root, rms[c], 0f, at);
        }
      }
    }
  }
}
