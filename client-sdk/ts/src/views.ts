import type { MessageInitShape } from "@bufbuild/protobuf";
import { FrameViewSchema } from "./gen/tonearm/v1/events_pb.js";
import type {
  OnsetViewSchema,
  SpectrumViewSchema,
  WaveformViewSchema,
} from "./gen/tonearm/v1/analysis_pb.js";

/** A frame view as an init object: `{ topic: "spectrum", fps: 60, spectrum: { size: 4096 } }`. */
export type FrameViewInit = MessageInitShape<typeof FrameViewSchema>;

/** Spectrum options (docs/PROTOCOL.md "Analysis"); every field optional. */
export type SpectrumOptions = MessageInitShape<typeof SpectrumViewSchema>;
/** Waveform and scope options. */
export type WaveformOptions = MessageInitShape<typeof WaveformViewSchema>;
/** Onset options. */
export type OnsetOptions = MessageInitShape<typeof OnsetViewSchema>;

/** The frame topics. */
export const FRAME_TOPICS = [
  "transport",
  "spectrum",
  "waveform",
  "meters",
  "onsets",
  "stem_meters",
] as const;

/** Highest rate the daemon serves, in frames per second. */
export const MAX_FPS = 120;

const OCTAVE_FRACTIONS = [0, 1, 2, 3, 6, 12, 24];

/** Transport frames (position, latency, frames played) at `fps` (0: the daemon's default, 10). */
export function transportView(fps = 0): FrameViewInit {
  return checkView({ topic: "transport", fps });
}

/** Spectrum frames; `{}` means the defaults (2048-point Hann, dBFS, linear bins). */
export function spectrumView(fps: number, options: SpectrumOptions = {}): FrameViewInit {
  return checkView({ topic: "spectrum", fps, spectrum: options });
}

/** Waveform frames (columns of min/max/RMS) or an oscilloscope trace (`mode` scope). */
export function waveformView(fps: number, options: WaveformOptions = {}): FrameViewInit {
  return checkView({ topic: "waveform", fps, waveform: options });
}

/** Meter frames: peak, RMS, true peak, EBU R128 loudness, loudness range, correlation, balance. */
export function metersView(fps: number): FrameViewInit {
  return checkView({ topic: "meters", fps, meters: {} });
}

/**
 * Per-stem meter frames (`StemMeterFrame`): peak, RMS, true peak, momentary and short-term loudness
 * of each stem as it enters the mix, and of the mixer's output.
 */
export function stemMetersView(fps: number): FrameViewInit {
  return checkView({ topic: "stem_meters", fps, stemMeters: {} });
}

/** Onset and tempo frames. */
export function onsetsView(fps: number, options: OnsetOptions = {}): FrameViewInit {
  return checkView({ topic: "onsets", fps, onsets: options });
}

/**
 * Checks a view against the daemon's limits, so that a bad one fails here with a RangeError
 * naming the field rather than later as a `bad_view` error. Returns the view.
 */
export function checkView(view: FrameViewInit): FrameViewInit {
  const topic = view.topic ?? "";
  if (!(FRAME_TOPICS as readonly string[]).includes(topic)) {
    throw new RangeError(`not a frame topic: '${topic}' (one of ${FRAME_TOPICS.join(", ")})`);
  }
  const fps = view.fps ?? 0;
  if (!Number.isInteger(fps) || fps < 0 || fps > MAX_FPS) {
    throw new RangeError(`fps must be 0 to ${MAX_FPS}, got ${fps}`);
  }
  const s = view.spectrum;
  if (s) {
    const size = s.size ?? 0;
    if (size !== 0 && (size < 256 || size > 32768 || (size & (size - 1)) !== 0)) {
      throw new RangeError(`spectrum.size must be a power of two 256..32768, got ${size}`);
    }
    const bands = s.bandCount ?? 0;
    if (bands !== 0 && (bands < 2 || bands > 1024)) {
      throw new RangeError(`spectrum.band_count must be 2..1024, got ${bands}`);
    }
    if (!OCTAVE_FRACTIONS.includes(s.octaveFraction ?? 0)) {
      throw new RangeError(
        `spectrum.octave_fraction must be 1, 2, 3, 6, 12 or 24, got ${s.octaveFraction}`,
      );
    }
    if (s.smoothing !== undefined && !(s.smoothing >= 0 && s.smoothing <= 1)) {
      throw new RangeError(`spectrum.smoothing must be 0..1, got ${s.smoothing}`);
    }
    const decay = s.peakDecayDbPerS ?? 0;
    if (!(decay >= 0 && decay <= 1000)) {
      throw new RangeError(`spectrum.peak_decay_db_per_s must be 0..1000, got ${decay}`);
    }
    const minHz = s.minHz ?? 0;
    const maxHz = s.maxHz ?? 0;
    if (minHz < 0 || (maxHz !== 0 && maxHz <= minHz)) {
      throw new RangeError(`need 0 <= spectrum.min_hz < max_hz, got ${minHz}, ${maxHz}`);
    }
    if (s.minDb !== undefined && !(s.minDb >= -200 && s.minDb <= 0)) {
      throw new RangeError(`spectrum.min_db must be -200..0, got ${s.minDb}`);
    }
  }
  const w = view.waveform;
  if (w) {
    const columns = w.columns ?? 0;
    if (columns !== 0 && (columns < 16 || columns > 4096)) {
      throw new RangeError(`waveform.columns must be 16..4096, got ${columns}`);
    }
    const span = w.spanMs ?? 0;
    if (span !== 0 && (span < 10 || span > 2000)) {
      throw new RangeError(`waveform.span_ms must be 10..2000, got ${span}`);
    }
  }
  const o = view.onsets;
  if (o) {
    const sens = o.sensitivity ?? 0;
    if (sens !== 0 && !(sens >= 1 && sens <= 10)) {
      throw new RangeError(`onsets.sensitivity must be 1..10, got ${sens}`);
    }
  }
  return view;
}
