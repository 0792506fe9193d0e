import type { Series } from "./gen/tonearm/v1/analysis_pb.js";

/**
 * A frame's values as numbers: float32 values as they are (dB for spectra, -1..1 for waveforms),
 * uint16/uint8 values as their integers (mapped from the view's range: min_db..max_db for spectra,
 * -1..1 or 0..1 for waveforms). An empty or absent series gives an empty array.
 */
export function decodeSeries(s: Series | undefined): Float32Array | Uint16Array | Uint8Array {
  if (!s) {
    return new Float32Array(0);
  }
  if (s.f32.length > 0) {
    return Float32Array.from(s.f32);
  }
  if (s.u16.length > 0) {
    const b = s.u16;
    const out = new Uint16Array(b.length >> 1);
    for (let i = 0; i < out.length; i++) {
      out[i] = b[2 * i]! | (b[2 * i + 1]! << 8);
    }
    return out;
  }
  return s.u8;
}
