package io.tonearm.daemon.analysis;

import io.tonearm.daemon.events.FrameSource;
import io.tonearm.daemon.events.Topic;
import java.util.EnumMap;
import java.util.Map;

/** The frame source of each analysis topic, all reading one {@link AnalysisTap}, for wiring. */
public final class AnalysisSources {

  private AnalysisSources() {}

  /**
   * A source per topic (SPECTRUM, WAVEFORM, METERS, ONSETS, STEM_METERS) over {@code tap}. The
   * sources are for one ticker thread; make one set per hub.
   */
  public static Map<Topic, FrameSource> of(AnalysisTap tap) {
    Map<Topic, FrameSource> m = new EnumMap<>(Topic.class);
    m.put(Topic.SPECTRUM, new SpectrumSource(tap.ring()));
    m.put(Topic.WAVEFORM, new WaveformSource(tap.ring()));
    m.put(Topic.METERS, new MeterSource(tap.meters()));
    m.put(Topic.ONSETS, new OnsetSource(tap.ring()));
    m.put(Topic.STEM_METERS, new StemMeterSource(tap.stemMeters()));
    return m;
  }
}
