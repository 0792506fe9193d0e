package io.tonearm.daemon.analysis;

import io.tonearm.daemon.decode.StemLayout;
import io.tonearm.daemon.events.FrameSource;
import io.tonearm.proto.v1.ChannelLevels;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.StemLevels;
import io.tonearm.proto.v1.StemMeterFrame;
import io.tonearm.proto.v1.StemMeterView;

/**
 * Topic "stem_meters": the per-stem meter snapshot heard at the tick's time. The values are
 * measured on the output thread for every sample of the mixer's output; this only reads them. The
 * frame cost is the daemon's smallest per stream, like the main meters: the measuring is per sample
 * on the output thread, whatever the number of streams. Ticker thread only.
 */
public final class StemMeterSource implements FrameSource {

  private final StemMeterBank bank;
  private final double[] snap = new double[StemMeterBank.WIDTH];

  public StemMeterSource(StemMeterBank bank) {
    this.bank = bank;
  }

  @Override
  public FrameView normalize(FrameView requested) {
    return Views.common(requested, "stem_meters")
        .setStemMeters(StemMeterView.getDefaultInstance())
        .build();
  }

  @Override
  public Envelope.Builder render(FrameView view, long nowMicros) {
    Object tag = bank.read(nowMicros, snap);
    if (tag == SnapshotRing.NONE) {
      return null;
    }
    StemMeterFrame.Builder f =
        StemMeterFrame.newBuilder()
            .setPresentationUs((long) snap[StemMeterBank.AT])
            .setSampleRate((int) snap[StemMeterBank.RATE])
            .setMix(levels("", false, StemMeterBank.MIX, (int) snap[StemMeterBank.MIX_CHANNELS]));
    if (tag instanceof StemLayout layout) {
      int count = Math.min(layout.count(), (int) snap[StemMeterBank.STEMS]);
      for (int s = 0; s < count; s++) {
        f.addStems(
            levels(
                layout.names().get(s),
                layout.isVocal(s),
                StemMeterBank.STEM0 + s * StemMeterBank.STEM_WIDTH,
                2));
      }
    }
    return Envelope.newBuilder().setStemMeters(f);
  }

  private StemLevels levels(String name, boolean vocal, int at, int channels) {
    StemLevels.Builder b =
        StemLevels.newBuilder()
            .setName(name)
            .setVocal(vocal)
            .setMomentaryLufs(Loudness.floor(snap[at + StemMeterBank.MOMENTARY]))
            .setShortTermLufs(Loudness.floor(snap[at + StemMeterBank.SHORT_TERM]));
    for (int c = 0; c < channels; c++) {
      int p = at + StemMeterBank.CHANNEL0 + c * StemMeterBank.PER_CHANNEL;
      b.addChannels(
          ChannelLevels.newBuilder()
              .setSamplePeakDbfs(Loudness.amplitudeDb(snap[p]))
              .setRmsDbfs(Loudness.floor(10 * Math.log10(snap[p + 1])))
              .setTruePeakDbtp(Loudness.amplitudeDb(snap[p + 2]))
              .setMaxTruePeakDbtp(Loudness.amplitudeDb(snap[p + 3])));
    }
    return b.build();
  }
}
