import { PlaybackState, positionAtUs, RepeatMode } from "@tonearm/client";
import type { PlayerState } from "@tonearm/client";
import { OverviewRenderer } from "../visuals/overview";
import type { OverviewData } from "../visuals/overview";
import { Surface } from "../visuals/surface";
import type { Commands } from "./commands";
import { authFetch } from "./access";
import { byId, fmtTime, h, setIcon } from "./dom";

/** Columns asked of the daemon's overview waveform (audiowaveform's samples_per_pixel follows). */
const OVERVIEW_COLUMNS = 1600;

/**
 * Now playing and the transport: artwork and tags, the seek bar moved every animation frame from
 * the position model (position + server time + rate, never polled), the overview waveform with
 * its played part and playhead (click or drag to seek), play/pause, next/previous, volume, mute,
 * shuffle, repeat, single and consume. Everything shown comes from the mirror's PlayerState.
 */
export class NowPlaying {
  private player: PlayerState | undefined;
  private readonly overview: OverviewRenderer;
  private readonly overviewCanvas = byId<HTMLCanvasElement>("overview");
  private readonly seekbar = byId("seekbar");
  private readonly fill = byId("seekfill");
  private readonly knob = byId("seekknob");
  private readonly elapsed = byId("elapsed");
  private readonly duration = byId("duration");
  private readonly volume = byId<HTMLInputElement>("volume");
  private readonly volumeValue = byId("volume-value");
  private dragFraction: number | null = null;
  /** A seek sent and not yet seen in a player event: shown meanwhile. */
  private pendingSeekMs: number | null = null;
  private volumeHeldUntil = 0;
  private trackKey = "";
  private overviewAbort: AbortController | null = null;
  private lastSecond = -1;
  private lastPx = -1;
  private artUrl = "";

  constructor(
    private readonly commands: Commands,
    private readonly serverNowUs: () => number,
  ) {
    this.overview = new OverviewRenderer(new Surface(this.overviewCanvas));
    const b = (id: string, name: string, run: () => void) => {
      const el = byId<HTMLButtonElement>(id);
      setIcon(el, name);
      el.addEventListener("click", run);
      return el;
    };
    b("play", "play", () => this.toggle());
    b("prev", "prev", () => void this.commands.run("player.previous"));
    b("next", "next", () => void this.commands.run("player.next"));
    b("shuffle", "shuffle", () => void this.commands.run("player.shuffle", { enabled: !this.player?.shuffle }));
    b("repeat", "repeat", () => this.cycleRepeat());
    b("single", "single", () => void this.commands.run("player.single", { enabled: !this.player?.single }));
    b("consume", "consume", () => void this.commands.run("player.consume", { enabled: !this.player?.consume }));
    b("mute", "volume", () => this.toggleMute());
    this.volume.addEventListener("input", () => {
      this.volumeHeldUntil = performance.now() + 1500;
      this.volumeValue.textContent = this.volume.value;
      this.sendVolume();
    });
    this.pointerSeek(this.seekbar, (x) => {
      const r = this.seekbar.getBoundingClientRect();
      return Math.min(1, Math.max(0, (x - r.left) / Math.max(1, r.width)));
    });
    this.pointerSeek(this.overviewCanvas, (x) => this.overview.fractionAt(x));
    for (const el of [this.seekbar, this.overviewCanvas]) {
      el.addEventListener("keydown", (e) => this.seekKey(e));
    }
  }

  private sendVolumeTimer: ReturnType<typeof setTimeout> | undefined;

  /** Volume changes are sent at most every 60 ms while the slider moves. */
  private sendVolume(): void {
    if (this.sendVolumeTimer !== undefined) return;
    this.sendVolumeTimer = setTimeout(() => {
      this.sendVolumeTimer = undefined;
      void this.commands.run("player.volume", { volume: Number(this.volume.value) });
    }, 60);
  }

  toggle(): void {
    void this.commands.run("player.toggle");
  }

  toggleMute(): void {
    void this.commands.run("player.mute", { enabled: !this.player?.muted });
  }

  cycleRepeat(): void {
    const next = { [RepeatMode.NONE]: RepeatMode.ALL, [RepeatMode.ALL]: RepeatMode.ONE, [RepeatMode.ONE]: RepeatMode.NONE };
    void this.commands.run("player.repeat", { mode: next[this.player?.repeat ?? RepeatMode.NONE] });
  }

  /** Moves the volume by `delta` (keyboard). */
  nudgeVolume(delta: number): void {
    const v = Math.max(0, Math.min(100, (this.player?.volume ?? 0) + delta));
    this.volume.value = String(v);
    this.volumeValue.textContent = String(v);
    this.volumeHeldUntil = performance.now() + 1500;
    this.sendVolume();
  }

  /** Seeks by `deltaMs` from the current position (keyboard). */
  seekBy(deltaMs: number): void {
    const dur = Number(this.player?.durationMs ?? 0n);
    if (!dur) return;
    this.seekTo(Math.max(0, Math.min(dur - 1, this.positionMs() + deltaMs)));
  }

  private seekTo(ms: number): void {
    this.pendingSeekMs = ms;
    void this.commands.run("player.seek", { positionMs: BigInt(Math.round(ms)) }).then((r) => {
      if (!r) this.pendingSeekMs = null;
    });
  }

  private pointerSeek(el: HTMLElement, fractionAt: (clientX: number) => number): void {
    el.addEventListener("pointerdown", (e) => {
      const dur = Number(this.player?.durationMs ?? 0n);
      if (!dur || e.button !== 0) return;
      e.preventDefault();
      el.setPointerCapture(e.pointerId);
      el.classList.add("dragging");
      this.dragFraction = fractionAt(e.clientX);
      const move = (ev: PointerEvent) => {
        this.dragFraction = fractionAt(ev.clientX);
      };
      const up = (ev: PointerEvent) => {
        el.removeEventListener("pointermove", move);
        el.removeEventListener("pointerup", up);
        el.removeEventListener("pointercancel", up);
        el.classList.remove("dragging");
        const f = this.dragFraction;
        this.dragFraction = null;
        if (ev.type === "pointerup" && f !== null) this.seekTo(Math.min(dur - 1, f * dur));
      };
      el.addEventListener("pointermove", move);
      el.addEventListener("pointerup", up);
      el.addEventListener("pointercancel", up);
    });
  }

  private seekKey(e: KeyboardEvent): void {
    const dur = Number(this.player?.durationMs ?? 0n);
    if (!dur) return;
    const step = e.shiftKey ? 30000 : 5000;
    if (e.key === "ArrowRight" || e.key === "ArrowUp") this.seekBy(step);
    else if (e.key === "ArrowLeft" || e.key === "ArrowDown") this.seekBy(-step);
    else if (e.key === "Home") this.seekTo(0);
    else if (e.key === "End") this.seekTo(Math.max(0, dur - 2000));
    else return;
    e.preventDefault();
    e.stopPropagation();
  }

  /** Position now, ms, from the position model. */
  positionMs(): number {
    const p = this.player;
    if (!p) return 0;
    if (this.pendingSeekMs !== null) return this.pendingSeekMs;
    return positionAtUs(p.position, this.serverNowUs(), p.durationMs) / 1000;
  }

  /** A new PlayerState from the mirror. */
  update(p: PlayerState): void {
    const before = this.player;
    this.player = p;
    this.pendingSeekMs = null;
    const t = p.current?.track;
    const title = byId("title");
    title.textContent = t ? t.title || t.path.split("/").pop() || t.path : "Nothing playing";
    byId("subtitle").textContent = t ? [t.artist, t.album].filter(Boolean).join(" — ") : "Add music from the library";
    byId("tech").textContent = t
      ? [
          t.codec.toUpperCase(),
          t.bitsPerSample ? `${t.bitsPerSample}-bit` : "",
          t.sampleRate ? `${(t.sampleRate / 1000).toFixed(1)} kHz` : "",
          t.channels ? `${t.channels} ch` : "",
        ]
          .filter(Boolean)
          .join(" · ")
      : "";
    document.title = t ? `${title.textContent} · Tonearm` : "Tonearm";
    const playing = p.state === PlaybackState.PLAYING || p.state === PlaybackState.LOADING;
    const play = byId<HTMLButtonElement>("play");
    setIcon(play, playing ? "pause" : "play");
    play.setAttribute("aria-label", playing ? "Pause (Space)" : "Play (Space)");
    play.classList.toggle("loading", p.state === PlaybackState.LOADING);
    this.pressed("shuffle", p.shuffle);
    this.pressed("single", p.single);
    this.pressed("consume", p.consume);
    const rep = byId("repeat");
    this.pressed("repeat", p.repeat !== RepeatMode.NONE);
    rep.setAttribute("aria-label", `Repeat: ${p.repeat === RepeatMode.ONE ? "one" : p.repeat === RepeatMode.ALL ? "all" : "off"} (R)`);
    rep.querySelector(".badge")?.remove();
    if (p.repeat === RepeatMode.ONE) rep.append(h("span", { class: "badge", "aria-hidden": "true" }, "1"));
    const mute = byId("mute");
    setIcon(mute, p.muted ? "muted" : "volume");
    this.pressed("mute", p.muted);
    if (performance.now() > this.volumeHeldUntil) {
      this.volume.value = String(p.volume);
      this.volumeValue.textContent = String(p.volume);
    }
    this.volume.setAttribute("aria-valuetext", `${p.volume}${p.muted ? ", muted" : ""}`);
    const dur = Number(p.durationMs);
    this.duration.textContent = fmtTime(dur);
    for (const el of [this.seekbar, this.overviewCanvas]) el.setAttribute("aria-valuemax", String(Math.round(dur / 1000)));
    const status = byId("status-line");
    if (p.state === PlaybackState.ERROR || p.error) {
      status.textContent = p.error ? `${p.error.code}: ${p.error.message}` : "Playback error";
      status.classList.add("error");
    } else {
      status.textContent = "";
      status.classList.remove("error");
    }
    const key = `${p.current?.itemId ?? ""}:${t?.trackId ?? ""}`;
    if (key !== this.trackKey || !before) {
      this.trackKey = key;
      this.lastSecond = -1;
      this.loadArtwork(t?.trackId ?? "");
      this.loadOverview(t?.trackId ?? "", dur, t?.sampleRate ?? 0);
    }
  }

  private pressed(id: string, on: boolean): void {
    byId(id).setAttribute("aria-pressed", String(on));
  }

  /** Shows the track's artwork when the library has one (no request for a track without). */
  private loadArtwork(trackId: string): void {
    const img = byId<HTMLImageElement>("art-img");
    const empty = document.querySelector<HTMLElement>(".art-empty")!;
    const none = () => {
      img.hidden = true;
      empty.hidden = false;
      img.removeAttribute("src");
    };
    none();
    if (!trackId) return;
    const key = this.trackKey;
    this.commands
      .query("library.track", { id: trackId })
      .then((r) => {
        const art = r.reply.track?.artworkId;
        if (!art || key !== this.trackKey) return;
        img.onload = () => {
          img.hidden = false;
          empty.hidden = true;
        };
        img.onerror = none;
        img.alt = `Artwork of ${r.reply.track?.album || r.reply.track?.title || "the track"}`;
        // fetched with the token (an <img> cannot send one), shown from a blob
        return authFetch(`/api/v1/library/artwork/${encodeURIComponent(art)}`)
          .then((res) => (res.ok ? res.blob() : null))
          .then((blob) => {
            if (!blob || key !== this.trackKey) return;
            if (this.artUrl) URL.revokeObjectURL(this.artUrl);
            this.artUrl = URL.createObjectURL(blob);
            img.src = this.artUrl;
          });
      })
      .catch(() => {
        // a track the library does not know: no artwork
      });
  }

  /** Asks the daemon for the track's overview (made once by a job, then cached by the daemon). */
  private loadOverview(trackId: string, durationMs: number, sampleRate: number): void {
    this.overviewAbort?.abort();
    this.overview.setData(null);
    if (!trackId || !durationMs) return;
    const frames = (durationMs / 1000) * (sampleRate || 44100);
    // a power of two, so that tracks of similar length share the daemon's cached overviews
    const spp = Math.max(2, Math.min(1 << 20, 2 ** Math.round(Math.log2(Math.max(2, frames / OVERVIEW_COLUMNS)))));
    const ctl = new AbortController();
    this.overviewAbort = ctl;
    authFetch(`/api/v1/library/tracks/${encodeURIComponent(trackId)}/waveform?format=json&bits=8&samples_per_pixel=${spp}`, {
      signal: ctl.signal,
    })
      .then((r) => (r.ok ? (r.json() as Promise<OverviewData>) : null))
      .then((d) => {
        if (!ctl.signal.aborted && d && Array.isArray(d.data)) this.overview.setData(d);
      })
      .catch(() => {
        // no overview (unknown track, undecodable file): the bar alone stays
      });
  }

  /** Called every animation frame: the seek bar and the overview follow the position model. */
  tick(): void {
    const p = this.player;
    const dur = Number(p?.durationMs ?? 0n);
    const pos = this.dragFraction !== null ? this.dragFraction * dur : this.positionMs();
    const f = dur > 0 ? Math.min(1, pos / dur) : 0;
    // transforms only: the compositor moves them, no style recalculation of layout per frame
    const w = this.seekbar.clientWidth || 1;
    const px = Math.round(f * w * 2) / 2;
    if (px !== this.lastPx) {
      this.lastPx = px;
      this.fill.style.transform = `scaleX(${(px / w).toFixed(5)})`;
      this.knob.style.transform = `translateX(${px}px)`;
    }
    this.overview.draw(f);
    const sec = Math.floor(pos / 1000);
    if (sec !== this.lastSecond) {
      this.lastSecond = sec;
      this.elapsed.textContent = fmtTime(pos);
      const text = `${fmtTime(pos)} of ${fmtTime(dur)}`;
      for (const el of [this.seekbar, this.overviewCanvas]) {
        el.setAttribute("aria-valuenow", String(sec));
        el.setAttribute("aria-valuetext", text);
      }
    }
  }
}
