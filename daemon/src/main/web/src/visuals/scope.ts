import { Surface } from "./surface";

const FALL_PER_S = 4; // the trace's amplitude falls to nothing in a quarter second

/**
 * Oscilloscope: the daemon's scope trace (WaveformView mode SCOPE: samples from a rising zero
 * crossing, -1..1) as a line. Without frames the trace shrinks to the centre line and the canvas
 * is cleared.
 */
export class ScopeRenderer {
  private trace = new Float32Array(0);
  private gain = 0;
  private blank = true;

  constructor(
    private readonly surface: Surface,
    public color = "#7fd4ff",
  ) {}

  /** Takes a frame's trace samples. */
  show(samples: ArrayLike<number>): void {
    if (this.trace.length !== samples.length) this.trace = new Float32Array(samples.length);
    this.trace.set(samples as ArrayLike<number>);
    this.gain = 1;
  }

  /** No frame: the trace falls toward the centre line; true while it is still visible. */
  fall(dtMs: number): boolean {
    this.gain = Math.max(0, this.gain - (FALL_PER_S * dtMs) / 1000);
    return this.gain > 0;
  }

  get isBlank(): boolean {
    return this.blank;
  }

  draw(): void {
    const s = this.surface;
    const resized = s.takeChanged();
    const { ctx, width: w, height: h } = s;
    if (this.gain <= 0 || this.trace.length < 2) {
      if (!this.blank || resized) s.clear();
      this.blank = true;
      return;
    }
    this.blank = false;
    ctx.clearRect(0, 0, w, h);
    const t = this.trace;
    const n = t.length;
    const mid = h / 2;
    const amp = (h / 2) * 0.92 * this.gain;
    ctx.lineWidth = Math.max(1, 1.25 * s.dpr);
    ctx.strokeStyle = this.color;
    ctx.beginPath();
    // about one point per device pixel: the trace looks the same and strokes in half the time
    const stride = Math.max(1, Math.floor(n / w));
    for (let i = 0; i < n; i += stride) {
      const x = (i / (n - 1)) * w;
      const v = t[i];
      const y = mid - (v > 1 ? 1 : v < -1 ? -1 : v) * amp;
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
  }
}
