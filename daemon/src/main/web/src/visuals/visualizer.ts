import { BandLayout, WaveformMode, Weighting } from "@tonearm/client/proto";
import type { MeterFrame, SpectrumFrame, WaveformFrame } from "@tonearm/client/proto";
import { FrameTimeline } from "./timeline";
import { MeterRenderer } from "./meters";
import { ScopeRenderer } from "./scope";
import { ScrollerRenderer } from "./scroller";
import { SpectrumRenderer } from "./spectrum";
import { Surface } from "./surface";
import type { SpectrumSettings } from "./settings";

/** The four frame streams the page draws. */
export type VisualKind = "spectrum" | "scope" | "columns" | "meters";

/** A frame view in the SDK's init shape (FrameView of events.proto). */
export interface ViewRequest {
  topic: string;
  fps: number;
  spectrum?: Record<string, unknown>;
  waveform?: Record<string, unknown>;
  meters?: Record<string, unknown>;
}

const MIN_DB = -90;
const MAX_DB = 0;
/** Scrolling waveform: 16 columns per frame (the least a view takes), 3 s shown at 60 fps. */
const SCROLL_COLUMNS = 16;
const SCROLL_HISTORY = 2880;
const SCOPE_SAMPLES = 1024;

/** Per-frame costs measured with performance.now(), read by the browser benchmark. */
export interface DrawStats {
  /** Animation frames that drew something. */
  framesDrawn: number;
  /** Main-thread time of the last 600 drawing callbacks, ms. */
  drawMs: number[];
  /** Frames received per kind. */
  received: Record<VisualKind, number>;
}

/**
 * Owns the canvases, the frame timelines and the animation loop: each stream's frames wait in a
 * {@link FrameTimeline} until their presentation time on the server clock, then go to their
 * renderer; when none is due for a while (the daemon sends none while nothing is audible) the
 * renderers let their picture fall to silence. Drawing happens only in requestAnimationFrame.
 */
export class Visualizer {
  readonly spectrum: SpectrumRenderer;
  readonly scope: ScopeRenderer;
  readonly scroller: ScrollerRenderer;
  readonly meters: MeterRenderer;
  private readonly timelines: Record<VisualKind, FrameTimeline<unknown>> = {
    spectrum: new FrameTimeline(),
    scope: new FrameTimeline(),
    columns: new FrameTimeline(),
    meters: new FrameTimeline(),
  };
  private lastT = 0;
  private audible = false;
  private running = false;
  fps = 60;
  readonly stats: DrawStats = {
    framesDrawn: 0,
    drawMs: [],
    received: { spectrum: 0, scope: 0, columns: 0, meters: 0 },
  };
  private metersLabelAt = 0;
  /** Runs first in every animation frame (the seek bar), counted in the frame's time. */
  beforeDraw: () => void = () => {};

  constructor(
    canvases: {
      spectrum: HTMLCanvasElement;
      spectrumGrid: HTMLCanvasElement;
      scope: HTMLCanvasElement;
      scroller: HTMLCanvasElement;
      meters: HTMLCanvasElement;
      metersText: HTMLCanvasElement;
    },
    private settings: SpectrumSettings,
    /** The server's wall clock now, microseconds (the SDK's clock estimate). */
    private readonly serverNowUs: () => number,
  ) {
    this.spectrum = new SpectrumRenderer(
      new Surface(canvases.spectrum),
      new Surface(canvases.spectrumGrid),
      this.style(settings),
    );
    this.scope = new ScopeRenderer(new Surface(canvases.scope));
    this.scroller = new ScrollerRenderer(new Surface(canvases.scroller), SCROLL_HISTORY, SCROLL_COLUMNS * this.fps);
    this.meters = new MeterRenderer(new Surface(canvases.meters), new Surface(canvases.metersText));
    this.metersCanvas = canvases.meters;
  }

  private readonly metersCanvas: HTMLCanvasElement;

  /** The frame views to subscribe, by kind. */
  views(): Record<VisualKind, ViewRequest> {
    const s = this.settings;
    const layout = {
      octave: BandLayout.OCTAVE,
      log: BandLayout.LOG,
      mel: BandLayout.MEL,
      bark: BandLayout.BARK,
      linear: BandLayout.LINEAR,
    }[s.scale];
    const weighting = { none: Weighting.NONE, A: Weighting.A, C: Weighting.C, "468": Weighting.ITU_468 }[s.weighting];
    const spectrum: Record<string, unknown> = {
      size: s.size,
      layout,
      weighting,
      minDb: MIN_DB,
      maxDb: MAX_DB,
      smoothing: s.smoothing,
      peakDecayDbPerS: s.peakHold ? 24 : 0,
    };
    if (s.scale === "octave") spectrum.octaveFraction = s.octaveFraction;
    if (s.scale === "log" || s.scale === "mel" || s.scale === "bark") spectrum.bandCount = s.bandCount;
    return {
      spectrum: { topic: "spectrum", fps: this.fps, spectrum },
      scope: { topic: "waveform", fps: this.fps, waveform: { mode: WaveformMode.SCOPE, columns: SCOPE_SAMPLES } },
      columns: {
        topic: "waveform",
        fps: this.fps,
        waveform: { mode: WaveformMode.COLUMNS, columns: SCROLL_COLUMNS },
      },
      meters: { topic: "meters", fps: this.fps, meters: {} },
    };
  }

  /** New spectrum settings: the caller re-subscribes with {@link views}. */
  applySettings(s: SpectrumSettings): void {
    this.settings = s;
    this.spectrum.style = this.style(s);
    this.spectrum.reset();
    this.timelines.spectrum.clear();
  }

  private style(s: SpectrumSettings) {
    return {
      minDb: MIN_DB,
      maxDb: MAX_DB,
      gradient: s.gradient,
      mirror: s.mirror,
      led: s.led,
      axis: s.axis,
      fftSize: s.size,
      minHz: 20,
      maxHz: 20000,
    };
  }

  /** A frame arrived. Malformed frames (no values) are dropped with a console warning. */
  accept(kind: VisualKind, frame: SpectrumFrame | WaveformFrame | MeterFrame): void {
    const at = Number(frame.presentationUs);
    if (!Number.isFinite(at) || at <= 0) {
      console.warn("tonearm: frame without presentation time ignored", kind);
      return;
    }
    this.stats.received[kind]++;
    this.timelines[kind].push(frame, at);
  }

  /** Whether audio is heard (PLAYING); otherwise frames still queued are dropped and all falls. */
  setAudible(audible: boolean): void {
    if (this.audible && !audible) for (const t of Object.values(this.timelines)) t.clear();
    this.audible = audible;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = (t: number) => {
      if (!this.running) return;
      this.frame(t);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  }

  stop(): void {
    this.running = false;
  }

  private frame(t: number): void {
    const t0 = performance.now();
    this.beforeDraw();
    const dt = this.lastT ? Math.min(250, t - this.lastT) : 16;
    this.lastT = t;
    const now = this.serverNowUs();
    const staleMs = 3000 / this.fps + 60;
    let drew = false;

    const spec = this.timelines.spectrum.take(now, t) as SpectrumFrame | null;
    if (spec) {
      this.spectrum.show({
        values: spec.values?.f32 ?? [],
        peaks: spec.peaks?.f32 ?? [],
        centerHz: spec.centerHz,
        sampleRate: spec.sampleRate,
      });
    } else if (t - this.timelines.spectrum.lastShownLocalMs > staleMs || !this.audible) {
      this.spectrum.fall(dt);
    }
    // draw() is cheap when nothing changed (a blank canvas is left alone; the grid is redrawn
    // only on a resize), so it runs every frame
    if (spec || !this.spectrum.isBlank) drew = true;
    this.spectrum.draw();

    const sc = this.timelines.scope.take(now, t) as WaveformFrame | null;
    if (sc) this.scope.show(sc.min?.f32 ?? []);
    else if (t - this.timelines.scope.lastShownLocalMs > staleMs || !this.audible) this.scope.fall(dt);
    if (sc || !this.scope.isBlank) drew = true;
    this.scope.draw();

    // columns: every due frame, in order, so that none of the audio is skipped
    const col = this.timelines.columns.take(now, t) as WaveformFrame | null;
    if (col) {
      this.scroller.push(col.min?.f32 ?? [], col.max?.f32 ?? [], col.rms?.f32 ?? []);
    } else if (t - this.timelines.columns.lastShownLocalMs > staleMs || !this.audible) {
      this.scroller.fall(dt);
    }
    if (col || !this.scroller.isBlank) drew = true;
    this.scroller.draw();

    const m = this.timelines.meters.take(now, t) as MeterFrame | null;
    if (m) this.meters.show(m);
    else if (t - this.timelines.meters.lastShownLocalMs > staleMs || !this.audible) this.meters.fall(dt);
    this.meters.draw();
    if (t - this.metersLabelAt > 1000) {
      this.metersLabelAt = t;
      this.metersCanvas.setAttribute("aria-label", "Loudness meter: " + this.meters.summary());
    }

    if (drew) {
      this.stats.framesDrawn++;
      const d = this.stats.drawMs;
      d.push(performance.now() - t0);
      if (d.length > 600) d.shift();
    }
  }
}
