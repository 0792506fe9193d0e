package io.tonearm.daemon.analysis;

import io.tonearm.daemon.events.FrameBody;
import io.tonearm.daemon.events.WireFrameSource;
import io.tonearm.proto.v1.ChannelLevels;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.MeterFrame;
import io.tonearm.proto.v1.MeterView;

/**
 * Topic "meters": the meter snapshot heard at the tick's time. Values are measured on the output
 * thread for every sample; this only reads them and writes the frame's wire bytes. Ticker thread
 * only.
 */
public final class MeterSource implements WireFrameSource {

  private final MeterBank bank;
  private final double[] snap = new double[MeterBank.WIDTH];

  public MeterSource(MeterBank bank) {
    this.bank = bank;
  }

  @Override
  public FrameView normalize(FrameView requested) {
    return Views.common(requested, "meters").setMeters(MeterView.getDefaultInstance()).build();
  }

  @Override
  public int renderWire(FrameView view, long nowMicros, FrameBody out) {
    if (!bank.read(nowMicros, snap)) {
      return 0;
    }
    out.int64(MeterFrame.PRESENTATION_US_FIELD_NUMBER, (long) snap[MeterBank.AT]);
    out.uint32(MeterFrame.SAMPLE_RATE_FIELD_NUMBER, (int) snap[MeterBank.RATE]);
    int channels = (int) snap[MeterBank.CHANNELS];
    for (int c = 0; c < channels; c++) {
      int p = MeterBank.HEAD + c * MeterBank.PER_CHANNEL;
      float samplePeak = Loudness.amplitudeDb(snap[p]);
      float rms = Loudness.floor(10 * Math.log10(snap[p + 1]));
      float truePeak = Loudness.amplitudeDb(snap[p + 2]);
      float maxTruePeak = Loudness.amplitudeDb(snap[p + 3]);
      out.tag(MeterFrame.CHANNELS_FIELD_NUMBER, FrameBody.LEN);
      out.varint(
          FrameBody.float32Size(samplePeak)
              + FrameBody.float32Size(rms)
              + FrameBody.float32Size(truePeak)
              + FrameBody.float32Size(maxTruePeak));
      out.float32(ChannelLevels.SAMPLE_PEAK_DBFS_FIELD_NUMBER, samplePeak);
      out.float32(ChannelLevels.RMS_DBFS_FIELD_NUMBER, rms);
      out.float32(ChannelLevels.TRUE_PEAK_DBTP_FIELD_NUMBER, truePeak);
      out.float32(ChannelLevels.MAX_TRUE_PEAK_DBTP_FIELD_NUMBER, maxTruePeak);
    }
    out.float32(MeterFrame.MOMENTARY_LUFS_FIELD_NUMBER, Loudness.floor(snap[MeterBank.MOMENTARY]));
    out.float32(
        MeterFrame.SHORT_TERM_LUFS_FIELD_NUMBER, Loudness.floor(snap[MeterBank.SHORT_TERM]));
    out.float32(
        MeterFrame.INTEGRATED_LUFS_FIELD_NUMBER, Loudness.floor(snap[MeterBank.INTEGRATED]));
    out.float32(MeterFrame.LOUDNESS_RANGE_LU_FIELD_NUMBER, finite(snap[MeterBank.RANGE]));
    double integrated = snap[MeterBank.INTEGRATED];
    double tp = snap[MeterBank.MAX_TRUE_PEAK];
    out.float32(
        MeterFrame.PLR_LU_FIELD_NUMBER,
        Double.isFinite(integrated) && tp > 0 ? finite(20 * Math.log10(tp) - integrated) : 0f);
    out.float32(
        MeterFrame.MAX_TRUE_PEAK_DBTP_FIELD_NUMBER,
        Loudness.amplitudeDb(snap[MeterBank.MAX_TRUE_PEAK]));
    out.float32(MeterFrame.CORRELATION_FIELD_NUMBER, finite(snap[MeterBank.CORRELATION]));
    out.float32(MeterFrame.BALANCE_FIELD_NUMBER, finite(snap[MeterBank.BALANCE]));
    out.float32(
        MeterFrame.MAX_MOMENTARY_LUFS_FIELD_NUMBER, Loudness.floor(snap[MeterBank.MAX_MOMENTARY]));
    return Envelope.METERS_FIELD_NUMBER;
  }

  private static float finite(double v) {
    return Double.isFinite(v) ? (float) v : 0f;
  }
}
