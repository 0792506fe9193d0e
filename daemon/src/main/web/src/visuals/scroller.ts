import { Surface } from "./surface";

/**
 * A scrolling waveform: the daemon's waveform columns (WaveformView mode COLUMNS: min, max and RMS
 * per column, each frame covering the audio since the one before) appended on the right of a ring
 * of `history` columns, drawn as two filled envelopes. When no frame comes the ring keeps moving
 * at the same column rate with silent columns, so a pause scrolls away to a blank canvas.
 */
export class ScrollerRenderer {
  private readonly min: Float32Array;
  private readonly max: Float32Array;
  private readonly rms: Float32Array;
  private head = 0; // index of the oldest column
  private nonSilent = 0; // columns in the ring that are not silence
  private pendingSilence = 0;
  private blank = true;

  /**
   * @param history columns shown across the canvas
   * @param columnsPerSecond the rate frames bring columns at (columns per frame times fps), used
   *     to scroll silence in when frames stop
   */
  constructor(
    private readonly surface: Surface,
    readonly history: number,
    public columnsPerSecond: number,
  ) {
    this.min = new Float32Array(history);
    this.max = new Float32Array(history);
    this.rms = new Float32Array(history);
  }

  /** Appends a frame's columns. */
  push(min: ArrayLike<number>, max: ArrayLike<number>, rms: ArrayLike<number>): void {
    const n = Math.min(min.length, max.length);
    for (let i = 0; i < n; i++) this.append(min[i], max[i], i < rms.length ? rms[i] : 0);
    this.pendingSilence = 0;
  }

  /** No frame for `dtMs`: silence scrolls in; true while anything audible is still on screen. */
  fall(dtMs: number): boolean {
    this.pendingSilence += (this.columnsPerSecond * dtMs) / 1000;
    while (this.pendingSilence >= 1) {
      this.append(0, 0, 0);
      this.pendingSilence -= 1;
      if (this.nonSilent === 0) {
        this.pendingSilence = 0;
        break;
      }
    }
    return this.nonSilent > 0;
  }

  get isBlank(): boolean {
    return this.blank;
  }

  private append(lo: number, hi: number, r: number): void {
    const i = this.head;
    const wasLoud = this.max[i] - this.min[i] > 1e-4;
    const loud = hi - lo > 1e-4;
    this.nonSilent += (loud ? 1 : 0) - (wasLoud ? 1 : 0);
    this.min[i] = lo;
    this.max[i] = hi;
    this.rms[i] = r;
    this.head = (i + 1) % this.history;
  }

  draw(): void {
    const s = this.surface;
    const resized = s.takeChanged();
    const { ctx, width: w, height: h } = s;
    if (this.nonSilent === 0) {
      if (!this.blank || resized) s.clear();
      this.blank = true;
      return;
    }
    this.blank = false;
    ctx.clearRect(0, 0, w, h);
    // one point per device pixel: the columns falling in it, merged (min of minima, max of maxima)
    const cols = Math.max(2, Math.min(this.history, Math.floor(w)));
    if (this.lo.length !== cols) {
      this.lo = new Float32Array(cols);
      this.hi = new Float32Array(cols);
      this.r = new Float32Array(cols);
    }
    const n = this.history;
    for (let x = 0; x < cols; x++) {
      const a = Math.floor((x * n) / cols);
      const b = Math.max(a + 1, Math.floor(((x + 1) * n) / cols));
      let mn = 1;
      let mx = -1;
      let rm = 0;
      for (let k = a; k < b; k++) {
        const i = (this.head + k) % n;
        if (this.min[i] < mn) mn = this.min[i];
        if (this.max[i] > mx) mx = this.max[i];
        if (this.rms[i] > rm) rm = this.rms[i];
      }
      this.lo[x] = Math.max(-1, mn);
      this.hi[x] = Math.min(1, mx);
      this.r[x] = Math.min(1, rm);
    }
    const mid = h / 2;
    const amp = (h / 2) * 0.95;
    const dx = w / (cols - 1);
    ctx.fillStyle = "rgba(110,170,255,0.45)";
    this.envelope(ctx, cols, dx, (x) => mid - this.hi[x] * amp, (x) => mid - this.lo[x] * amp);
    ctx.fillStyle = "rgba(160,215,255,0.9)";
    this.envelope(ctx, cols, dx, (x) => mid - this.r[x] * amp, (x) => mid + this.r[x] * amp);
  }

  private lo = new Float32Array(0);
  private hi = new Float32Array(0);
  private r = new Float32Array(0);

  private envelope(
    ctx: CanvasRenderingContext2D,
    n: number,
    dx: number,
    top: (x: number) => number,
    bottom: (x: number) => number,
  ): void {
    ctx.beginPath();
    ctx.moveTo(0, top(0));
    for (let x = 1; x < n; x++) ctx.lineTo(x * dx, top(x));
    for (let x = n - 1; x >= 0; x--) ctx.lineTo(x * dx, bottom(x));
    ctx.closePath();
    ctx.fill();
  }
}
