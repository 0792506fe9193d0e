/**
 * A canvas kept at its element's CSS size times the device pixel ratio. Drawing code works in
 * device pixels (`width`, `height`) and learns of a resize through `changed`, set until it calls
 * {@link takeChanged}. Resizing happens only in a ResizeObserver callback, never while drawing.
 */
export class Surface {
  readonly ctx: CanvasRenderingContext2D;
  width = 1;
  height = 1;
  dpr = 1;
  private changed = true;
  private readonly observer: ResizeObserver;

  constructor(readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext("2d", { alpha: true });
    if (!ctx) throw new Error("no 2d canvas context");
    this.ctx = ctx;
    this.observer = new ResizeObserver(() => this.fit());
    this.observer.observe(canvas);
    this.fit();
  }

  /** Matches the backing store to the element's size; cheap when nothing changed. */
  fit(): void {
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const w = Math.max(1, Math.round(this.canvas.clientWidth * dpr));
    const h = Math.max(1, Math.round(this.canvas.clientHeight * dpr));
    if (w !== this.canvas.width || h !== this.canvas.height || dpr !== this.dpr) {
      this.canvas.width = w;
      this.canvas.height = h;
      this.width = w;
      this.height = h;
      this.dpr = dpr;
      this.changed = true;
    }
  }

  /** True once after every resize (the canvas was cleared by it). */
  takeChanged(): boolean {
    const c = this.changed;
    this.changed = false;
    return c;
  }

  clear(): void {
    this.ctx.clearRect(0, 0, this.width, this.height);
  }

  dispose(): void {
    this.observer.disconnect();
  }
}

/** Clamps `v` to 0..1. */
export function unit(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
