package io.tonearm.daemon.analysis;

import io.tonearm.daemon.events.FrameSource;
import io.tonearm.proto.v1.ChannelLevels;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.MeterFrame;
import io.tonearm.proto.v1.MeterView;

/**
 * Topic "meters": the meter snapshot heard at the tick's time. Values are measured on the output
 * thread for every sample; this only reads them. Ticker thread only.
 */
public final class MeterSource implements FrameSource {

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
  public Envelope.Builder render(FrameView view, long nowMicros) {
    if (!bank.read(nowMicros, snap)) {
      return null;
    }
    MeterFrame.Builder f =
        MeterFrame.newBuilder()
            .setPresentationUs((long) snap[MeterBank.AT])
            .setSampleRate((int) snap[MeterBank.RATE])
            .setMomentaryLufs(Loudness.floor(snap[MeterBank.MOMENTARY]))
            .setShortTermLufs(Loudness.floor(snap[MeterBank.SHORT_TERM]))
            .setIntegratedLufs(Loudness.floor(snap[MeterBank.INTEGRATED]))
            .setLoudnessRangeLu(finite(snap[MeterBank.RANGE]))
            .setMaxTruePeakDbtp(Loudness.amplitudeDb(snap[MeterBank.MAX_TRUE_PEAK]))
            .setCorrelation(finite(snap[MeterBank.CORRELATION]))
            .setBalance(finite(snap[MeterBank.BALANCE]))
            .setMaxMomentaryLufs(Loudness.floor(snap[MeterBank.MAX_MOMENTARY]));
    double integrated = snap[MeterBank.INTEGRATED];
    double tp = snap[MeterBank.MAX_TRUE_PEAK];
    f.setPlrLu(
        Double.isFinite(integrated) && tp > 0 ? finite(20 * Math.log10(tp) - integrated) : 0f);
    int channels = (int) snap[MeterBank.CHANNELS];
    for (int c = 0; c < channels; c++) {
      int p = MeterBank.HEAD + c * MeterBank.PER_CHANNEL;
      f.addChannels(
          ChannelLevels.newBuilder()
              .setSamplePeakDbfs(Loudness.amplitudeDb(snap[p]))
              .setRmsDbfs(Loudness.floor(10 * Math.log10(snap[p + 1])))
              .setTruePeakDbtp(Loudness.amplitudeDb(snap[p + 2]))
              .setMaxTruePeakDbtp(Loudness.amplitudeDb(snap[p + 3])));
    }
    return Envelope.newBuilder().setMeters(f);
  }

  private static float finite(double v) {
    return Double.isFinite(v) ? (float) v : 0f;
  }
}
