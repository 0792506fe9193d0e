package io.tonearm.daemon.analysis;

import io.tonearm.daemon.events.FrameSource;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.OnsetFrame;
import io.tonearm.proto.v1.OnsetView;

/**
 * Topic "onsets": onsets heard since a stream's previous frame, and the tempo. One shared detector
 * advances to the audible position; each view picks peaks with its own sensitivity: a hop is an
 * onset when its flux is a local maximum and exceeds sensitivity times the median of the previous
 * {@value #MEDIAN_HOPS} hops plus a small floor, and no onset was reported in the previous {@value
 * #MIN_GAP_HOPS} hops. Ticker thread only.
 */
public final class OnsetSource implements FrameSource {

  static final int MEDIAN_HOPS = 32;
  private static final float FLOOR = 0.5f;
  // Onsets closer than about 50 ms (at 48 kHz) are one onset: the Hann-windowed flux of a sharp
  // attack can peak twice on consecutive hops. Boeck, Krebs and Schedl (ISMIR 2012) use 30 ms.
  private static final int MIN_GAP_HOPS = 5;

  private final PlayedRing ring;
  private final OnsetDetector detector;

  /** Per view: the next hop to examine and the hop of the last onset reported. */
  private final ViewCache<long[]> lastHop = new ViewCache<>();

  private final float[] scratch = new float[MEDIAN_HOPS];

  public OnsetSource(PlayedRing ring) {
    this.ring = ring;
    this.detector = new OnsetDetector(ring);
  }

  @Override
  public FrameView normalize(FrameView requested) {
    FrameView.Builder out = Views.common(requested, "onsets");
    float s = requested.getOnsets().getSensitivity();
    s = s == 0 ? 1.5f : Views.range("sensitivity", s, 1, 10);
    return out.setOnsets(OnsetView.newBuilder().setSensitivity(s)).build();
  }

  @Override
  public Envelope.Builder render(FrameView view, long nowMicros) {
    long end = ring.freshEnd(nowMicros);
    if (end <= 0) {
      return null;
    }
    long heard = ring.micros(end - 1, nowMicros);
    int rate = ring.rateAt(end);
    detector.advance(end);
    long hops = detector.hops();
    long[] next =
        lastHop.get(view, nowMicros, v -> new long[] {Math.max(1, hops - 1), Long.MIN_VALUE / 2});
    float sensitivity = view.getOnsets().getSensitivity();
    OnsetFrame.Builder f = OnsetFrame.newBuilder().setPresentationUs(heard);
    // Hop h is judged once hop h + 1 exists (it must be a local maximum).
    long from = Math.max(next[0], hops - OnsetDetector.HISTORY + MEDIAN_HOPS + 1);
    for (long h = from; h < hops - 1; h++) {
      float x = detector.flux(h);
      if (x > detector.flux(h - 1)
          && x >= detector.flux(h + 1)
          && x > sensitivity * median(h) + FLOOR
          && h - next[1] >= MIN_GAP_HOPS) {
        next[1] = h;
        // The onset is heard around the middle of the newest hop of its window.
        long at = detector.hopEnd(h) - OnsetDetector.HOP / 2;
        f.addOnsetUs(ring.micros(at, heard));
      }
    }
    next[0] = Math.max(next[0], hops - 1);
    double m = median(hops - 1);
    float strength = (float) (m > 1e-6 ? detector.flux(hops - 1) / m : 0);
    f.setStrength(Float.isFinite(strength) ? Math.min(strength, 1000f) : 0f);
    f.setTempoBpm((float) detector.tempo(rate));
    f.setTempoConfidence((float) detector.confidence(rate));
    return Envelope.newBuilder().setOnsets(f);
  }

  private float median(long h) {
    for (int i = 0; i < MEDIAN_HOPS; i++) {
      scratch[i] = detector.flux(h - 1 - i);
    }
    java.util.Arrays.sort(scratch);
    return (scratch[MEDIAN_HOPS / 2 - 1] + scratch[MEDIAN_HOPS / 2]) / 2;
  }
}
