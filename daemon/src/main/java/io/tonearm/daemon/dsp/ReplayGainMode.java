package io.tonearm.daemon.dsp;

/** Which ReplayGain value scales an item. */
public enum ReplayGainMode {
  /** No ReplayGain: every item plays at its own level. */
  OFF,
  /** Track gain: every item at the reference loudness. */
  TRACK,
  /** Album gain: an album keeps its internal dynamics. */
  ALBUM,
  /** Album gain when playing in queue order, track gain when shuffled (as MPD's "auto"). */
  AUTO
}
