import { FallingLevels } from "./falling";
import { verticalGradient } from "./gradients";
import { Surface, unit } from "./surface";

/** One channel's levels from a MeterFrame (analysis.proto ChannelLevels). */
export interface ChannelData {
  samplePeakDbfs: number;
  rmsDbfs: number;
  truePeakDbtp: number;
  maxTruePeakDbtp: number;
}

/** A MeterFrame's values, as the daemon measured them (EBU R128, BS.1770-4). */
export interface MeterData {
  channels: ChannelData[];
  momentaryLufs: number;
  shortTermLufs: number;
  integratedLufs: number;
  loudnessRangeLu: number;
  plrLu: number;
  maxTruePeakDbtp: number;
  correlation: number;
  balance: number;
  maxMomentaryLufs: number;
}

const FLOOR = -150;
const LEVEL_MIN = -60; // dBFS at the bottom of the channel bars
const LEVEL_MAX = 3;
const LOUD_MIN = -54; // LUFS at the bottom of the loudness bars
const LOUD_MAX = -5;
const TARGET_LUFS = -23; // EBU R128 programme target
const FALL_DB_PER_S = 40;

/**
 * A broadcast-style loudness meter on one canvas: per-channel bars (RMS solid, sample peak as a
 * lighter cap, true peak as a line with its maximum held), momentary and short-term loudness bars
 * against the -23 LUFS target, the integrated loudness large, LRA, PLR and maximum true peak as
 * figures, and correlation and balance as horizontal scales. Every value is the daemon's; the page
 * only lets levels fall when frames stop.
 */
export class MeterRenderer {
  private last: MeterData | null = null;
  private readonly levels = new FallingLevels(FLOOR, FALL_DB_PER_S);
  private channels = 0;
  private correlation = 0;
  private balance = 0;
  private stale = true;
  private gradKey = "";
  private grad: CanvasGradient | null = null;

  private textAt = -Infinity;

  /**
   * @param surface the bars, redrawn every frame
   * @param text a canvas stacked over it for the figures and labels, redrawn ten times a second
   *     (text is most of a meter's drawing cost)
   */
  constructor(
    private readonly surface: Surface,
    private readonly text: Surface,
  ) {}

  /** The text layer's context when it is due (and then cleared), else a pen that draws nothing. */
  private pen(resized: boolean): Pen {
    const now = performance.now();
    const textResized = this.text.takeChanged();
    if (!resized && !textResized && now - this.textAt < 100) return NO_PEN;
    this.textAt = now;
    this.text.clear();
    return this.text.ctx;
  }

  show(m: MeterData): void {
    this.last = m;
    this.channels = m.channels.length;
    const src: number[] = [];
    for (const c of m.channels) src.push(c.samplePeakDbfs, c.rmsDbfs, c.truePeakDbtp);
    src.push(m.momentaryLufs, m.shortTermLufs);
    this.levels.set(src);
    this.correlation = m.correlation;
    this.balance = m.balance;
    this.stale = false;
  }

  /** No frame: levels fall, correlation and balance ease to the middle. */
  fall(dtMs: number): boolean {
    this.stale = true;
    const k = Math.exp(-dtMs / 250);
    this.correlation *= k;
    this.balance *= k;
    return this.levels.fall(dtMs);
  }

  /** A short text of the current figures, for assistive technology. */
  summary(): string {
    const m = this.last;
    if (!m) return "no meter data";
    return (
      `integrated ${fmt(m.integratedLufs)} LUFS, momentary ${fmt(m.momentaryLufs)}, ` +
      `short-term ${fmt(m.shortTermLufs)}, range ${fmtLu(m.loudnessRangeLu)} LU, ` +
      `true peak max ${fmt(m.maxTruePeakDbtp)} dBTP`
    );
  }

  draw(): void {
    const s = this.surface;
    const resized = s.takeChanged();
    const { ctx, width: w, height: h, dpr } = s;
    ctx.clearRect(0, 0, w, h);
    const t = this.pen(resized);
    const px = (v: number) => Math.round(v * dpr);
    const pad = px(8);
    const font = (size: number, weight = 400) => `${weight} ${px(size)}px system-ui, sans-serif`;
    const m = this.last;
    const v = this.levels.values;
    const nch = Math.max(2, this.channels);
    // regions: channel bars | loudness bars | figures; scales along the bottom
    const scaleH = px(44);
    const top = px(18);
    const barsH = h - top - scaleH - px(14);
    const figuresW = Math.min(px(190), Math.round(w * 0.38));
    const chanW = Math.min(px(w > px(900) ? 44 : 26), Math.round((w - figuresW - pad * 6) / (nch + 2) - px(6)));
    const gapW = px(6);
    let x = pad + px(24); // room for the dB labels
    const key = `${h}:${barsH}`;
    if (resized || key !== this.gradKey || !this.grad) {
      this.grad = verticalGradient(ctx, "classic", top, barsH);
      this.gradKey = key;
    }
    // scale labels for the channel bars
    t.font = font(9);
    t.fillStyle = "rgba(200,210,230,0.5)";
    t.textAlign = "right";
    for (const db of [0, -6, -12, -18, -24, -36, -48, -60]) {
      const y = top + barsH * (1 - unit((db - LEVEL_MIN) / (LEVEL_MAX - LEVEL_MIN)));
      t.fillText(String(db), x - px(4), y + px(3));
    }
    t.textAlign = "center";
    for (let c = 0; c < nch; c++) {
      const peak = v[c * 3] ?? FLOOR;
      const rms = v[c * 3 + 1] ?? FLOOR;
      const tp = v[c * 3 + 2] ?? FLOOR;
      const hold = m && m.channels[c] ? m.channels[c].maxTruePeakDbtp : FLOOR;
      this.bar(ctx, x, top, chanW, barsH, LEVEL_MIN, LEVEL_MAX, rms, peak, tp, hold);
      t.fillStyle = "rgba(200,210,230,0.7)";
      t.font = font(10, 600);
      t.fillText(nch === 2 ? (c === 0 ? "L" : "R") : String(c + 1), x + chanW / 2, top + barsH + px(13));
      t.font = font(9);
      t.fillStyle = hold > -1 ? "#ff6b5b" : "rgba(200,210,230,0.75)";
      t.fillText(hold <= FLOOR + 1 ? "—" : hold.toFixed(1), x + chanW / 2, top - px(5));
      x += chanW + gapW;
    }
    // loudness bars: momentary and short-term, with the target line
    x += px(14);
    const loudW = chanW + px(4);
    const mIdx = this.channels * 3;
    const labels = ["M", "S"];
    for (let i = 0; i < 2; i++) {
      const val = v[mIdx + i] ?? FLOOR;
      this.bar(ctx, x, top, loudW, barsH, LOUD_MIN, LOUD_MAX, val, FLOOR, FLOOR, i === 0 && m ? m.maxMomentaryLufs : FLOOR, true);
      t.fillStyle = "rgba(200,210,230,0.7)";
      t.font = font(10, 600);
      t.fillText(labels[i], x + loudW / 2, top + barsH + px(13));
      x += loudW + gapW;
    }
    const ty = top + barsH * (1 - unit((TARGET_LUFS - LOUD_MIN) / (LOUD_MAX - LOUD_MIN)));
    const loudX0 = x - 2 * (loudW + gapW);
    ctx.fillStyle = "#ffd166";
    ctx.fillRect(loudX0 - px(3), Math.round(ty), 2 * (loudW + gapW) - gapW + px(6), Math.max(1, px(1.5)));
    t.font = font(9);
    t.textAlign = "left";
    t.fillStyle = "#ffd166";
    t.fillText("-23", x - gapW + px(4), ty + px(3));
    for (const l of [-14, -36, -45]) {
      const y = top + barsH * (1 - unit((l - LOUD_MIN) / (LOUD_MAX - LOUD_MIN)));
      t.fillStyle = "rgba(200,210,230,0.45)";
      t.fillText(String(l), x - gapW + px(4), y + px(3));
    }
    // figures
    const fx = Math.min(w - figuresW - pad, x + px(48));
    t.textAlign = "left";
    const dim = this.stale ? 0.55 : 1;
    t.fillStyle = `rgba(150,165,190,${dim})`;
    t.font = font(10, 600);
    t.fillText("INTEGRATED", fx, top + px(8));
    t.fillStyle = `rgba(240,245,255,${dim})`;
    t.font = font(30, 650);
    t.fillText(m ? fmt(m.integratedLufs) : "—", fx, top + px(40));
    t.font = font(11);
    t.fillStyle = `rgba(150,165,190,${dim})`;
    t.fillText("LUFS", fx + t.measureText("-00.0").width * 2.9 + px(6), top + px(40));
    const rows: [string, string, boolean][] = [
      ["M", m && !this.stale ? fmt(m.momentaryLufs) : "—", false],
      ["S", m && !this.stale ? fmt(m.shortTermLufs) : "—", false],
      ["LRA", m ? fmtLu(m.loudnessRangeLu) + " LU" : "—", false],
      ["PLR", m ? fmtLu(m.plrLu) + " LU" : "—", false],
      ["TP max", m ? fmt(m.maxTruePeakDbtp) + " dBTP" : "—", !!m && m.maxTruePeakDbtp > -1],
      ["M max", m ? fmt(m.maxMomentaryLufs) : "—", false],
    ];
    let ry = top + px(62);
    const rowH = Math.min(px(17), Math.max(px(12), (barsH - px(62)) / rows.length));
    for (const [label, value, warn] of rows) {
      t.font = font(10, 600);
      t.fillStyle = `rgba(150,165,190,${dim})`;
      t.fillText(label, fx, ry);
      t.font = font(12, 500);
      t.fillStyle = warn ? "#ff6b5b" : `rgba(230,236,248,${dim})`;
      t.fillText(value, fx + px(56), ry);
      ry += rowH;
    }
    // correlation and balance
    const sy = h - scaleH + px(6);
    const sw = w - 2 * pad - px(70);
    this.scale(ctx, t, pad + px(70), sy, sw, px(10), this.correlation, "-1", "+1", this.correlation < 0 ? "#ff6b5b" : "#5fe08f");
    this.scale(ctx, t, pad + px(70), sy + px(20), sw, px(10), this.balance, "L", "R", "#7ac8ff");
    t.textAlign = "left";
    t.font = font(10, 600);
    t.fillStyle = "rgba(150,165,190,0.9)";
    t.fillText("CORR", pad, sy + px(9));
    t.fillText("BAL", pad, sy + px(29));
  }

  /** A vertical bar: solid `fill` level, `peak` as a lighter cap, `line` as a tick, `hold` held. */
  private bar(
    ctx: CanvasRenderingContext2D,
    x: number,
    top: number,
    w: number,
    h: number,
    min: number,
    max: number,
    fill: number,
    peak: number,
    line: number,
    hold: number,
    loudness = false,
  ): void {
    const y = (db: number) => top + h * (1 - unit((db - min) / (max - min)));
    ctx.fillStyle = "rgba(255,255,255,0.05)";
    ctx.fillRect(x, top, w, h);
    if (peak > min) {
      ctx.fillStyle = "rgba(170,220,255,0.28)";
      ctx.fillRect(x, y(peak), w, top + h - y(peak));
    }
    if (fill > min) {
      ctx.fillStyle = loudness ? (fill > TARGET_LUFS + 1 ? "#ffb347" : "#43c6ac") : this.grad!;
      ctx.fillRect(x, y(fill), w, top + h - y(fill));
    }
    const tick = Math.max(1, Math.round(this.surface.dpr * 1.5));
    if (line > min) {
      ctx.fillStyle = line > -1 ? "#ff6b5b" : "#ffffff";
      ctx.fillRect(x, Math.round(y(line)), w, tick);
    }
    if (hold > min) {
      ctx.fillStyle = hold > -1 ? "#ff6b5b" : "#ffd166";
      ctx.fillRect(x - 2, Math.round(y(hold)), w + 4, tick);
    }
  }

  /** A horizontal -1..+1 scale with a marker at `value`. */
  private scale(
    ctx: CanvasRenderingContext2D,
    t: Pen,
    x: number,
    y: number,
    w: number,
    h: number,
    value: number,
    left: string,
    right: string,
    color: string,
  ): void {
    const dpr = this.surface.dpr;
    ctx.fillStyle = "rgba(255,255,255,0.06)";
    ctx.fillRect(x, y, w, h);
    ctx.fillStyle = "rgba(255,255,255,0.25)";
    ctx.fillRect(x + w / 2, y - 2, 1, h + 4);
    const v = Math.max(-1, Math.min(1, value));
    const cx = x + ((v + 1) / 2) * w;
    ctx.fillStyle = color;
    const a = Math.min(cx, x + w / 2);
    ctx.globalAlpha = 0.5;
    ctx.fillRect(a, y + 2, Math.abs(cx - (x + w / 2)), h - 4);
    ctx.globalAlpha = 1;
    ctx.fillRect(cx - 2 * dpr, y - 1, 4 * dpr, h + 2);
    t.font = `${Math.round(9 * dpr)}px system-ui, sans-serif`;
    t.fillStyle = "rgba(200,210,230,0.6)";
    t.textAlign = "right";
    t.fillText(left, x - 4 * dpr, y + h - 1);
    t.textAlign = "left";
    t.fillText(right, x + w + 4 * dpr, y + h - 1);
  }
}

/** What the meter draws text with. */
type Pen = Pick<CanvasRenderingContext2D, "font" | "fillStyle" | "textAlign" | "fillText" | "measureText">;

const NO_PEN: Pen = {
  font: "",
  fillStyle: "",
  textAlign: "left",
  fillText: () => {},
  measureText: () => ({ width: 0 }) as TextMetrics,
};

function fmt(v: number): string {
  return v <= -70 ? "—" : v.toFixed(1);
}

function fmtLu(v: number): string {
  return Number.isFinite(v) ? v.toFixed(1) : "—";
}
