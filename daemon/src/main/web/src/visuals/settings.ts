import type { FrequencyAxis } from "./scales";

/** What the user chose for the spectrum; kept in localStorage. */
export interface SpectrumSettings {
  /** octave, log, mel, bark or linear (FFT bins). */
  scale: "octave" | "log" | "mel" | "bark" | "linear";
  /** 1, 2, 3, 6, 12 or 24 (1/N octave) for the octave scale. */
  octaveFraction: number;
  /** Bands for log, mel and bark. */
  bandCount: number;
  weighting: "none" | "A" | "C" | "468";
  peakHold: boolean;
  gradient: string;
  mirror: boolean;
  led: boolean;
  /** Axis of the linear scale's bins. */
  axis: FrequencyAxis;
  /** FFT size. */
  size: number;
  /** Temporal smoothing 0..0.99 (the daemon's). */
  smoothing: number;
}

export const DEFAULT_SETTINGS: SpectrumSettings = {
  scale: "octave",
  octaveFraction: 6,
  bandCount: 96,
  weighting: "none",
  peakHold: true,
  gradient: "prism",
  mirror: false,
  led: false,
  axis: "log",
  size: 4096,
  smoothing: 0.5,
};

const KEY = "tonearm.spectrum.v1";

export function loadSettings(): SpectrumSettings {
  try {
    const raw = localStorage.getItem(KEY);
    if (raw) return { ...DEFAULT_SETTINGS, ...(JSON.parse(raw) as Partial<SpectrumSettings>) };
  } catch {
    // storage unavailable or corrupt: defaults
  }
  return { ...DEFAULT_SETTINGS };
}

export function saveSettings(s: SpectrumSettings): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    // private mode: settings last for this page only
  }
}
