import { Surface } from "./surface";

/** A track's overview: audiowaveform's JSON (`data` is min,max pairs per column; `bits` 8 or 16). */
export interface OverviewData {
  bits: number;
  data: ArrayLike<number>;
  channels?: number;
}

/**
 * The current track's overview waveform with the played part in another colour and a playhead.
 * The waveform is drawn once per size into two offscreen canvases (played, not played); each frame
 * only copies them, split at the playhead.
 */
export class OverviewRenderer {
  private data: OverviewData | null = null;
  private played: HTMLCanvasElement | null = null;
  private rest: HTMLCanvasElement | null = null;
  private key = "";
  private lastFraction = -1;

  constructor(private readonly surface: Surface) {}

  /** The waveform to show, or null for none (nothing current, or not made yet). */
  setData(data: OverviewData | null): void {
    this.data = data;
    this.key = "";
    this.lastFraction = -1;
  }

  get hasData(): boolean {
    return this.data !== null;
  }

  /** The fraction 0..1 of the track under a pointer at `clientX`. */
  fractionAt(clientX: number): number {
    const r = this.surface.canvas.getBoundingClientRect();
    return Math.min(1, Math.max(0, (clientX - r.left) / Math.max(1, r.width)));
  }

  /** Draws with the playhead at `fraction` (0..1) of the track; cheap when nothing moved. */
  draw(fraction: number): void {
    const s = this.surface;
    const resized = s.takeChanged();
    const { ctx, width: w, height: h } = s;
    const f = Math.min(1, Math.max(0, fraction));
    const key = `${w}x${h}`;
    if (resized || key !== this.key) {
      this.render(w, h);
      this.key = key;
      this.lastFraction = -1;
    }
    const x = Math.round(f * w);
    if (x === Math.round(this.lastFraction * w) && this.lastFraction >= 0) return;
    this.lastFraction = f;
    ctx.clearRect(0, 0, w, h);
    if (!this.played || !this.rest) {
      ctx.fillStyle = "rgba(160,180,210,0.18)";
      ctx.fillRect(0, Math.round(h / 2), w, Math.max(1, s.dpr));
      ctx.fillStyle = "rgba(122,200,255,0.6)";
      ctx.fillRect(0, Math.round(h / 2), x, Math.max(1, s.dpr));
    } else {
      if (x > 0) ctx.drawImage(this.played, 0, 0, x, h, 0, 0, x, h);
      if (x < w) ctx.drawImage(this.rest, x, 0, w - x, h, x, 0, w - x, h);
    }
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(Math.min(w - 2 * s.dpr, x), 0, Math.max(2, 2 * s.dpr), h);
  }

  private render(w: number, h: number): void {
    const d = this.data;
    if (!d || d.data.length < 2) {
      this.played = this.rest = null;
      return;
    }
    const full = d.bits === 16 ? 32768 : 128;
    const cols = Math.floor(d.data.length / 2);
    const lo = new Float32Array(w);
    const hi = new Float32Array(w);
    for (let x = 0; x < w; x++) {
      const a = Math.floor((x * cols) / w);
      const b = Math.max(a + 1, Math.floor(((x + 1) * cols) / w));
      let mn = 0;
      let mx = 0;
      for (let c = a; c < b && c < cols; c++) {
        mn = Math.min(mn, d.data[2 * c] / full);
        mx = Math.max(mx, d.data[2 * c + 1] / full);
      }
      lo[x] = mn;
      hi[x] = mx;
    }
    this.played = paint(w, h, lo, hi, "#7ac8ff", "#3f8fd8");
    this.rest = paint(w, h, lo, hi, "rgba(170,185,210,0.55)", "rgba(120,135,160,0.45)");
  }
}

function paint(
  w: number,
  h: number,
  lo: Float32Array,
  hi: Float32Array,
  top: string,
  bottom: string,
): HTMLCanvasElement {
  const c = document.createElement("canvas");
  c.width = w;
  c.height = h;
  const ctx = c.getContext("2d")!;
  const g = ctx.createLinearGradient(0, 0, 0, h);
  g.addColorStop(0, top);
  g.addColorStop(1, bottom);
  ctx.fillStyle = g;
  const mid = h / 2;
  ctx.beginPath();
  for (let x = 0; x < w; x++) {
    const y0 = mid - hi[x] * mid * 0.95;
    const y1 = mid - lo[x] * mid * 0.95;
    ctx.rect(x, y0, 1, Math.max(1, y1 - y0));
  }
  ctx.fill();
  return c;
}
