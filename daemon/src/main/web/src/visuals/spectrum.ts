import { FallingLevels } from "./falling";
import { verticalGradient } from "./gradients";
import { AXIS_TICKS, axisPosition, FrequencyAxis, hzLabel } from "./scales";
import { Surface, unit } from "./surface";

/** One spectrum frame as the daemon sent it (dB values; see SpectrumFrame in analysis.proto). */
export interface SpectrumData {
  /** Level per bin or band, dB, lowest frequency first. */
  values: ArrayLike<number>;
  /** Held peaks in the same layout, or empty when the view has no peak hold. */
  peaks: ArrayLike<number>;
  /** Centre of each band in Hz; empty for the linear layout. */
  centerHz: ArrayLike<number>;
  /** Sample rate of the analysed audio, Hz. */
  sampleRate: number;
}

/** How the spectrum is drawn; the analysis itself (layout, weighting, peaks) is the daemon's. */
export interface SpectrumStyle {
  /** Value range shown, dB (the view's min_db and max_db). */
  minDb: number;
  maxDb: number;
  /** Gradient name (see gradients.ts). */
  gradient: string;
  /** Low frequencies in the middle, mirrored to both sides. */
  mirror: boolean;
  /** LED segments instead of solid bars. */
  led: boolean;
  /** Axis for the linear layout's bins (band layouts are spaced by the daemon). */
  axis: FrequencyAxis;
  /** FFT size of the view (the linear layout's bin k is at k * sampleRate / fftSize). */
  fftSize: number;
  /** Band layouts' range, Hz, for the linear layout's axis. */
  minHz: number;
  maxHz: number;
}

const FALL_DB_PER_S = 90;

/**
 * The spectrum: bars (or LED segments) with a gradient, peak-hold caps, optional mirror, on a
 * transparent canvas above a separate grid canvas, so that silence leaves the bars canvas blank.
 * Not thread-safe; called from requestAnimationFrame only.
 */
export class SpectrumRenderer {
  private readonly levels: FallingLevels;
  private readonly peaks: FallingLevels;
  private centers: Float32Array = new Float32Array(0);
  private sampleRate = 48000;
  private gradientKey = "";
  private gradientFill: CanvasGradient | string = "#fff";
  private ledPattern: CanvasPattern | null = null;
  private columnMap: Int32Array = new Int32Array(0);
  private emptyColumns: Int32Array = new Int32Array(0);
  private columnKey = "";
  private columns = new Float32Array(0);
  private peakColumns = new Float32Array(0);
  private blank = true;
  private gridKey = "";

  constructor(
    private readonly bars: Surface,
    private readonly grid: Surface | null,
    public style: SpectrumStyle,
  ) {
    this.levels = new FallingLevels(style.minDb, FALL_DB_PER_S);
    this.peaks = new FallingLevels(style.minDb, FALL_DB_PER_S / 3);
  }

  /** Takes a new frame's values. */
  show(frame: SpectrumData): void {
    this.levels.set(frame.values);
    if (frame.peaks.length === frame.values.length) this.peaks.set(frame.peaks);
    else if (this.peaks.values.length) this.peaks.values = new Float32Array(0);
    if (frame.centerHz.length !== this.centers.length || frame.centerHz[0] !== this.centers[0]) {
      this.centers = Float32Array.from(frame.centerHz);
      this.gridKey = "";
    }
    this.sampleRate = frame.sampleRate || this.sampleRate;
  }

  /** Lets the bars fall for `dtMs` (no frame came); true while anything is left to show. */
  fall(dtMs: number): boolean {
    const a = this.levels.fall(dtMs);
    const b = this.peaks.fall(dtMs);
    return a || b;
  }

  /** True when the last draw left the canvas empty. */
  get isBlank(): boolean {
    return this.blank;
  }

  /** Forgets everything shown (new view options). */
  reset(): void {
    this.levels.values = new Float32Array(0);
    this.peaks.values = new Float32Array(0);
    this.gridKey = "";
    this.columnKey = "";
  }

  draw(): void {
    const s = this.bars;
    const resized = s.takeChanged();
    const ctx = s.ctx;
    const { width: w, height: h } = s;
    if (this.grid) this.drawGrid();
    if (!this.levels.live() && !this.peaks.live()) {
      if (!this.blank || resized) s.clear();
      this.blank = true;
      return;
    }
    this.blank = false;
    ctx.clearRect(0, 0, w, h);
    const st = this.style;
    const key = st.gradient + ":" + h;
    if (key !== this.gradientKey || resized) {
      this.gradientFill = verticalGradient(ctx, st.gradient, 0, h);
      this.ledPattern = null;
      this.gradientKey = key;
    }
    const linear = this.centers.length === 0;
    const half = st.mirror ? w / 2 : w;
    let vals: ArrayLike<number> = this.levels.values;
    let pk: ArrayLike<number> = this.peaks.values;
    if (linear) {
      this.mapColumns(Math.max(8, Math.floor(half / (2 * s.dpr))));
      vals = this.columns;
      pk = this.peakColumns;
    }
    const n = vals.length;
    if (n === 0) return;
    const range = st.maxDb - st.minDb;
    const step = half / n;
    const gap = step >= 4 ? Math.max(1, Math.round(step * 0.18)) : 0;
    ctx.fillStyle = this.gradientFill;
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      const lv = unit((vals[i] - st.minDb) / range);
      if (lv <= 0) continue;
      const bh = lv * h;
      const x = st.mirror ? half + i * step : i * step;
      ctx.rect(x, h - bh, step - gap, bh);
      if (st.mirror) ctx.rect(half - (i + 1) * step + gap, h - bh, step - gap, bh);
    }
    ctx.fill();
    if (st.led) this.cutLeds(ctx, w, h);
    if (pk.length === n) {
      ctx.fillStyle = "rgba(255,255,255,0.85)";
      const ph = Math.max(2, Math.round(2 * s.dpr));
      ctx.beginPath();
      for (let i = 0; i < n; i++) {
        const lv = unit((pk[i] - st.minDb) / range);
        if (lv <= 0) continue;
        const y = h - lv * h;
        const x = st.mirror ? half + i * step : i * step;
        ctx.rect(x, y, step - gap, ph);
        if (st.mirror) ctx.rect(half - (i + 1) * step + gap, y, step - gap, ph);
      }
      ctx.fill();
    }
  }

  /** LED look: cuts horizontal gaps out of the bars just drawn. */
  private cutLeds(ctx: CanvasRenderingContext2D, w: number, h: number): void {
    if (!this.ledPattern) {
      const seg = Math.max(4, Math.round(h / 48));
      const tile = document.createElement("canvas");
      tile.width = 1;
      tile.height = seg;
      const t = tile.getContext("2d")!;
      t.fillStyle = "#000";
      t.fillRect(0, 0, 1, Math.max(1, Math.round(seg * 0.3)));
      this.ledPattern = ctx.createPattern(tile, "repeat");
    }
    if (!this.ledPattern) return;
    ctx.save();
    ctx.globalCompositeOperation = "destination-out";
    ctx.fillStyle = this.ledPattern;
    // align the pattern with the bottom so the lowest segment is whole
    ctx.translate(0, h % Math.max(4, Math.round(h / 48)));
    ctx.fillRect(0, -h, w, 2 * h);
    ctx.restore();
  }

  /** Linear layout: each screen column shows the loudest bin that falls in it. */
  private mapColumns(cols: number): void {
    const st = this.style;
    const bins = this.levels.values.length;
    const key = [cols, bins, st.axis, st.fftSize, st.minHz, st.maxHz, this.sampleRate].join(":");
    if (key !== this.columnKey) {
      this.columnKey = key;
      this.columnMap = new Int32Array(bins);
      const hzPerBin = this.sampleRate / Math.max(2, (bins - 1) * 2);
      for (let k = 0; k < bins; k++) {
        const p = axisPosition(st.axis, k * hzPerBin, st.minHz, Math.min(st.maxHz, this.sampleRate / 2));
        this.columnMap[k] = p < 0 || p >= 1 || !Number.isFinite(p) ? -1 : Math.floor(p * cols);
      }
      // columns no bin falls in (low frequencies on a log axis) show the bin nearest their centre
      this.emptyColumns = new Int32Array(cols).fill(-1);
      const hit = new Uint8Array(cols);
      for (let k = 0; k < bins; k++) if (this.columnMap[k] >= 0) hit[this.columnMap[k]] = 1;
      const fmax = Math.min(st.maxHz, this.sampleRate / 2);
      for (let j = 0; j < cols; j++) {
        if (hit[j]) continue;
        let best = -1;
        let bestD = Infinity;
        for (let k = 0; k < bins; k++) {
          const d = Math.abs(axisPosition(st.axis, k * hzPerBin, st.minHz, fmax) - (j + 0.5) / cols);
          if (d < bestD) {
            bestD = d;
            best = k;
          }
        }
        this.emptyColumns[j] = best;
      }
      this.columns = new Float32Array(cols);
      this.peakColumns = new Float32Array(0);
    }
    const c = this.columns;
    c.fill(st.minDb);
    const v = this.levels.values;
    const map = this.columnMap;
    for (let k = 0; k < v.length; k++) {
      const j = map[k];
      if (j >= 0 && v[k] > c[j]) c[j] = v[k];
    }
    const empty = this.emptyColumns;
    for (let j = 0; j < c.length; j++) if (empty[j] >= 0) c[j] = v[empty[j]];
    const p = this.peaks.values;
    if (p.length === v.length) {
      if (this.peakColumns.length !== cols) this.peakColumns = new Float32Array(cols);
      const pc = this.peakColumns;
      pc.fill(st.minDb);
      for (let k = 0; k < p.length; k++) {
        const j = map[k];
        if (j >= 0 && p[k] > pc[j]) pc[j] = p[k];
      }
    } else {
      this.peakColumns = new Float32Array(0);
    }
  }

  /** Frequency and level lines on the canvas below the bars; redrawn only when they change. */
  private drawGrid(): void {
    const g = this.grid!;
    const st = this.style;
    const key = [g.width, g.height, st.minDb, st.maxDb, st.mirror, st.axis, this.centers.length, this.centers[0], st.minHz, st.maxHz].join(":");
    if (!g.takeChanged() && key === this.gridKey) return;
    this.gridKey = key;
    const ctx = g.ctx;
    const { width: w, height: h, dpr } = g;
    ctx.clearRect(0, 0, w, h);
    ctx.font = `${Math.round(10 * dpr)}px system-ui, sans-serif`;
    ctx.fillStyle = "rgba(200,210,230,0.45)";
    ctx.strokeStyle = "rgba(200,210,230,0.08)";
    ctx.lineWidth = 1;
    ctx.beginPath();
    const range = st.maxDb - st.minDb;
    const stepDb = range > 60 ? 20 : 10;
    for (let db = Math.ceil(st.minDb / stepDb) * stepDb; db <= st.maxDb; db += stepDb) {
      const y = Math.round(h - ((db - st.minDb) / range) * h) + 0.5;
      ctx.moveTo(0, y);
      ctx.lineTo(w, y);
      ctx.fillText(`${db}`, 4 * dpr, y - 3 * dpr);
    }
    const half = st.mirror ? w / 2 : w;
    let lastLabel = -Infinity;
    for (const hz of AXIS_TICKS) {
      const p = this.tickPosition(hz);
      if (p === null) continue;
      const xs = st.mirror ? [half + p * half, half - p * half] : [p * w];
      // a label only where it does not run into the one before (narrow screens)
      const labelled = p * half - lastLabel > 34 * dpr;
      if (labelled) lastLabel = p * half;
      for (const x0 of xs) {
        const x = Math.round(x0) + 0.5;
        ctx.moveTo(x, 0);
        ctx.lineTo(x, h);
        if (labelled) {
          const text = hzLabel(hz);
          const tw = ctx.measureText(text).width;
          ctx.fillText(text, x + 3 * dpr + tw > w ? x - 3 * dpr - tw : x + 3 * dpr, h - 4 * dpr);
        }
      }
    }
    ctx.stroke();
  }

  /** Where a frequency sits across the spectrum, 0..1, or null when outside it. */
  private tickPosition(hz: number): number | null {
    const c = this.centers;
    if (c.length > 1) {
      if (hz < c[0] || hz > c[c.length - 1]) return null;
      let i = 0;
      while (i < c.length - 1 && c[i + 1] < hz) i++;
      // bands are equally wide on screen: interpolate between the two centres around hz
      const a = Math.log(c[i]);
      const b = Math.log(c[Math.min(i + 1, c.length - 1)]);
      const f = b > a ? (Math.log(hz) - a) / (b - a) : 0;
      return (i + 0.5 + f) / c.length;
    }
    const st = this.style;
    const p = axisPosition(st.axis, hz, st.minHz, Math.min(st.maxHz, this.sampleRate / 2));
    return p >= 0 && p <= 1 ? p : null;
  }
}
