/**
 * Frequency axes for the spectrum's linear-bin layout (band layouts are already spaced by the daemon
 * on their own scale, so their bands are drawn at equal widths). The formulas are the ones the
 * daemon's band layouts use: mel after O'Shaughnessy, Bark after Traunmüller (1990).
 */
export type FrequencyAxis = "linear" | "log" | "mel" | "bark";

export function warp(axis: FrequencyAxis, hz: number): number {
  switch (axis) {
    case "linear":
      return hz;
    case "log":
      return Math.log10(Math.max(hz, 1e-3));
    case "mel":
      return 2595 * Math.log10(1 + hz / 700);
    case "bark":
      return (26.81 * hz) / (1960 + hz) - 0.53;
  }
}

/** Position 0..1 of `hz` between `minHz` and `maxHz` on `axis`. */
export function axisPosition(axis: FrequencyAxis, hz: number, minHz: number, maxHz: number): number {
  const a = warp(axis, minHz);
  const b = warp(axis, maxHz);
  return (warp(axis, hz) - a) / (b - a);
}

/** Formats a frequency for an axis label: 63, 250, 1k, 16k. */
export function hzLabel(hz: number): string {
  if (hz >= 1000) {
    const k = hz / 1000;
    return (Number.isInteger(k) ? k.toFixed(0) : k.toFixed(1)) + "k";
  }
  return Math.round(hz).toString();
}

/** The label frequencies an axis shows. */
export const AXIS_TICKS = [31.5, 63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000];
