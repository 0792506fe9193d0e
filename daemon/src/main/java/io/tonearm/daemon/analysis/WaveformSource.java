package io.tonearm.daemon.analysis;

import io.tonearm.daemon.events.FrameBody;
import io.tonearm.daemon.events.WireFrameSource;
import io.tonearm.proto.v1.ChannelSelect;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.ValueEncoding;
import io.tonearm.proto.v1.WaveformFrame;
import io.tonearm.proto.v1.WaveformMode;
import io.tonearm.proto.v1.WaveformView;

/**
 * Topic "waveform": min/max/RMS columns over the audio heard up to the tick's time, or an
 * oscilloscope trace that starts at a rising zero crossing so that a periodic signal stands still.
 * Each view's buffer is made on its first frame (and again only if the sample rate changes). Ticker
 * thread only.
 */
public final class WaveformSource implements WireFrameSource {

  static final int MIN_COLUMNS = 16;
  static final int MAX_COLUMNS = 4096;
  static final int MIN_SPAN_MS = 10;
  static final int MAX_SPAN_MS = 2000;

  private final PlayedRing ring;
  private final ViewCache<float[][]> buffers = new ViewCache<>();

  public WaveformSource(PlayedRing ring) {
    this.ring = ring;
  }

  @Override
  public FrameView normalize(FrameView requested) {
    FrameView.Builder out = Views.common(requested, "waveform");
    WaveformView r = requested.getWaveform();
    WaveformMode mode =
        r.getMode() == WaveformMode.WAVEFORM_MODE_SCOPE
            ? WaveformMode.WAVEFORM_MODE_SCOPE
            : WaveformMode.WAVEFORM_MODE_COLUMNS;
    int columns = r.getColumns() == 0 ? 512 : r.getColumns();
    if (columns < MIN_COLUMNS || columns > MAX_COLUMNS) {
      throw new IllegalArgumentException(
          "columns must be " + MIN_COLUMNS + ".." + MAX_COLUMNS + ": " + columns);
    }
    WaveformView.Builder v = WaveformView.newBuilder().setMode(mode).setColumns(columns);
    if (mode == WaveformMode.WAVEFORM_MODE_COLUMNS) {
      int span = r.getSpanMs() == 0 ? Math.max(MIN_SPAN_MS, 1000 / out.getFps()) : r.getSpanMs();
      if (span < MIN_SPAN_MS || span > MAX_SPAN_MS) {
        throw new IllegalArgumentException(
            "span_ms must be " + MIN_SPAN_MS + ".." + MAX_SPAN_MS + ": " + span);
      }
      v.setSpanMs(span);
    }
    v.setChannel(
        r.getChannel() == ChannelSelect.CHANNEL_SELECT_UNSPECIFIED
            ? ChannelSelect.CHANNEL_SELECT_MONO
            : r.getChannel());
    v.setEncoding(
        r.getEncoding() == ValueEncoding.VALUE_ENCODING_UNSPECIFIED
            ? ValueEncoding.VALUE_ENCODING_FLOAT32
            : r.getEncoding());
    return out.setWaveform(v).build();
  }

  /**
   * A waveform frame reads its span (at 48 kHz; at most {@code PlayedRing.CAPACITY / 2} samples)
   * or, in scope mode, twice its columns.
   */
  @Override
  public long frameCost(FrameView view) {
    WaveformView v = view.getWaveform();
    long samples =
        v.getMode() == WaveformMode.WAVEFORM_MODE_SCOPE
            ? 2L * v.getColumns()
            : Math.min(PlayedRing.CAPACITY / 2, v.getSpanMs() * 48L);
    return Math.max(MIN_FRAME_COST, samples);
  }

  @Override
  public int renderWire(FrameView view, long nowMicros, FrameBody out) {
    long end = ring.freshEnd(nowMicros);
    if (end <= 0) {
      return 0;
    }
    long heard = ring.micros(end - 1, nowMicros);
    int rate = ring.rateAt(end);
    WaveformView v = view.getWaveform();
    int columns = v.getColumns();
    boolean scope = v.getMode() == WaveformMode.WAVEFORM_MODE_SCOPE;
    int samples =
        scope
            ? 2 * columns
            : (int) Math.min(PlayedRing.CAPACITY / 2, (long) v.getSpanMs() * rate / 1000);
    samples = Math.max(samples, 1);
    float[][] b = buffers.get(view, nowMicros, BUFFERS);
    if (b[0].length != samples) { // first frame, or the sample rate changed
      b = buffersFor(samples, columns);
      buffers.put(view, nowMicros, b);
    }
    float[] x = b[0];
    ring.copy(v.getChannel(), end, samples, x);
    ValueEncoding enc = v.getEncoding();
    if (scope) {
      int start = trigger(x, columns);
      boolean triggered = start >= 0;
      if (!triggered) {
        start = columns; // the newest samples, untriggered
      }
      System.arraycopy(x, start, b[1], 0, columns);
      long last = end - samples + start + columns - 1;
      out.int64(WaveformFrame.PRESENTATION_US_FIELD_NUMBER, ring.micros(last, heard));
      out.uint32(WaveformFrame.SAMPLE_RATE_FIELD_NUMBER, rate);
      Views.series(out, WaveformFrame.MIN_FIELD_NUMBER, enc, b[1], columns, -1, 1);
      out.bool(WaveformFrame.TRIGGERED_FIELD_NUMBER, triggered);
    } else {
      columns(x, samples, columns, b[1], b[2], b[3]);
      out.int64(WaveformFrame.PRESENTATION_US_FIELD_NUMBER, heard);
      out.uint32(WaveformFrame.SAMPLE_RATE_FIELD_NUMBER, rate);
      Views.series(out, WaveformFrame.MIN_FIELD_NUMBER, enc, b[1], columns, -1, 1);
      Views.series(out, WaveformFrame.MAX_FIELD_NUMBER, enc, b[2], columns, -1, 1);
      Views.series(out, WaveformFrame.RMS_FIELD_NUMBER, enc, b[3], columns, 0, 1);
    }
    return Envelope.WAVEFORM_FIELD_NUMBER;
  }

  /** A view's buffers before its first frame: none (sized at the first frame). */
  private static final java.util.function.Function<FrameView, float[][]> BUFFERS =
      v -> new float[][] {new float[0]};

  private static float[][] buffersFor(int samples, int columns) {
    return new float[][] {
      new float[samples], new float[columns], new float[columns], new float[columns]
    };
  }

  /**
   * The latest rising zero crossing at or before index {@code columns} (so that {@code columns}
   * samples follow it), or -1.
   */
  static int trigger(float[] x, int columns) {
    for (int i = columns; i >= 1; i--) {
      if (x[i - 1] < 0 && x[i] >= 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Min, max and RMS of {@code columns} equal slices of {@code x[0..n)}: column c covers [c n /
   * columns, (c + 1) n / columns), rounded down. The bounds are stepped (quotient and remainder)
   * rather than divided out twice per column: at 60 fps two 64-bit divisions per column were a
   * visible part of a waveform frame under the quick JIT compiler, which also calls {@code
   * Math.min} and {@code Math.max} rather than compare, hence the plain comparisons (the played
   * ring holds no NaN; of a column of +0 and -0 the first seen is kept).
   */
  static void columns(float[] x, int n, int columns, float[] min, float[] max, float[] rms) {
    int step = n / columns;
    int extra = n % columns;
    int carry = 0;
    int to = 0;
    for (int c = 0; c < columns; c++) {
      int from = to;
      to += step;
      carry += extra;
      if (carry >= columns) {
        carry -= columns;
        to++;
      }
      if (to <= from) {
        // More columns than samples: repeat the sample under this column.
        float s = x[Math.min(from, n - 1)];
        min[c] = s;
        max[c] = s;
        rms[c] = Math.abs(s);
        continue;
      }
      float lo = Float.MAX_VALUE;
      float hi = -Float.MAX_VALUE;
      double sq = 0;
      for (int i = from; i < to; i++) {
        float s = x[i];
        if (s < lo) {
          lo = s;
        }
        if (s > hi) {
          hi = s;
        }
        sq += s * s;
      }
      min[c] = lo;
      max[c] = hi;
      rms[c] = (float) Math.sqrt(sq / (to - from));
    }
  }
}
