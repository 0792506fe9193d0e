package io.tonearm.daemon.dsp;

/** The shapes of an equaliser band, each one RBJ Audio EQ Cookbook biquad. */
public enum FilterType {
  /** A bell around the frequency: gain at the centre, unity far from it; Q sets the width. */
  PEAKING,
  /** Gain below the frequency, unity above; Q sets the slope at the corner. */
  LOW_SHELF,
  /** Gain above the frequency, unity below. */
  HIGH_SHELF,
  /** Second-order low pass (12 dB per octave); Q 0.707 is Butterworth. Gain is ignored. */
  LOW_PASS,
  /** Second-order high pass (12 dB per octave). Gain is ignored. */
  HIGH_PASS;

  /** Whether the band's gain is part of its shape (false for the passes). */
  public boolean hasGain() {
    return this == PEAKING || this == LOW_SHELF || this == HIGH_SHELF;
  }
}
