import { create } from "@bufbuild/protobuf";
import type { Envelope, Hello } from "./gen/tonearm/v1/events_pb.js";
import type { Job, JobChanged } from "./gen/tonearm/v1/jobs_pb.js";
import type { MixerState } from "./gen/tonearm/v1/mixer_pb.js";
import { type OutputsState, OutputsStateSchema } from "./gen/tonearm/v1/outputs_pb.js";
import { type PlayerState, PlayerStateSchema, type QueueItem } from "./gen/tonearm/v1/player_pb.js";
import type { PlaylistChanged, PlaylistSummary } from "./gen/tonearm/v1/playlists_pb.js";
import type { QueueChanged } from "./gen/tonearm/v1/queue_pb.js";
import type { SettingsState } from "./gen/tonearm/v1/settings_pb.js";
import type { EventStream, Logger } from "./event-stream.js";

/** What part of the mirror changed. */
export type MirrorPart = "player" | "queue" | "outputs" | "jobs" | "playlists" | "settings" | "mixer";

/** What a mirror tells its listeners. */
export interface StateMirrorEvents {
  /** One part changed (by an event or a snapshot); read the new value from the mirror. */
  change: (part: MirrorPart, mirror: StateMirror) => void;
  /** The mirror was rebuilt from snapshots (first connection, new daemon run, trimmed history). */
  reset: (mirror: StateMirror) => void;
  /** The mirror follows the daemon again (true) or lost its connection (false). */
  live: (live: boolean, mirror: StateMirror) => void;
}

/** The state topics a mirror follows; a stream given to it should subscribe to those it needs. */
export const MIRROR_TOPICS = [
  "player",
  "queue",
  "outputs",
  "jobs",
  "playlists",
  "settings",
  "mixer",
] as const;

/**
 * A live copy of the daemon's player, queue, outputs, jobs, playlists, settings and mixer, kept current
 * from an event stream's state events (which arrive once each and in order, across reconnects)
 * and rebuilt from snapshots when the stream cannot resume. Parts whose topic the stream does
 * not subscribe to stay at their defaults. Mirrors the Java SDK's `PlayerMirror`.
 *
 * Every value it returns is replaced, never mutated, on a change: compare by identity to see
 * what changed (React's `useSyncExternalStore` works as is).
 */
export class StateMirror {
  private playerState: PlayerState = create(PlayerStateSchema);
  private queueItems: readonly QueueItem[] = [];
  private outputsState: OutputsState = create(OutputsStateSchema);
  private jobsById: ReadonlyMap<string, Job> = new Map();
  private playlistsById: ReadonlyMap<string, PlaylistSummary> = new Map();
  private settingsState: SettingsState | undefined;
  private mixerState: MixerState | undefined;
  private seqNow = 0n;
  private epochNow = "";
  private isLive = false;
  private rebuilding = false;
  private readonly waiters = new Set<{ seq: bigint; resolve: (ok: boolean) => void }>();
  private readonly listeners: { [K in keyof StateMirrorEvents]: Set<StateMirrorEvents[K]> } = {
    change: new Set(),
    reset: new Set(),
    live: new Set(),
  };
  private readonly logger: Logger;
  private readonly detach: (() => void)[];

  /**
   * Follows `stream` from its next connection on; attach it right after making the stream (in the
   * same task), before its first Hello.
   */
  constructor(
    readonly stream: EventStream,
    logger: Logger = console,
  ) {
    this.logger = logger;
    this.detach = [
      stream.on("connected", (h) => this.onConnected(h)),
      stream.on("snapshot", (e) => this.apply(e)),
      stream.on("event", (e) => this.apply(e)),
      stream.on("synced", (seq) => this.advance(seq)),
      stream.on("disconnected", () => {
        this.isLive = false;
        this.emit("live", false, this);
      }),
    ];
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof StateMirrorEvents>(type: K, listener: StateMirrorEvents[K]): () => void {
    this.listeners[type].add(listener);
    return () => this.listeners[type].delete(listener);
  }

  /** The player's state; the default message before the first snapshot. */
  get player(): PlayerState {
    return this.playerState;
  }

  /** The whole queue, in order. */
  get queue(): readonly QueueItem[] {
    return this.queueItems;
  }

  /** Outputs and ReplayGain settings. */
  get outputs(): OutputsState {
    return this.outputsState;
  }

  /** The jobs the daemon reported (finished ones included), by id, oldest first. */
  get jobs(): ReadonlyMap<string, Job> {
    return this.jobsById;
  }

  /** Every playlist's summary (without items), by id. */
  get playlists(): ReadonlyMap<string, PlaylistSummary> {
    return this.playlistsById;
  }

  /**
   * The followed zone's sound settings (enhancement, presets, reference, crossfade, ReplayGain); undefined before
   * their snapshot (or without topic `settings`).
   */
  get settings(): SettingsState | undefined {
    return this.settingsState;
  }

  /**
   * The followed zone's vocal/instrumental volumes and stem strips; undefined before their snapshot (or without topic
   * `mixer`).
   */
  get mixer(): MixerState | undefined {
    return this.mixerState;
  }

  /**
   * The seq the mirror is current as of (0 while it rebuilds from snapshots): every change up to it
   * is in. It also moves on to the seq of each command answered on its stream, even one that
   * changed nothing or changed another topic.
   */
  get seq(): bigint {
    return this.seqNow;
  }

  /** The daemon run the seq belongs to; empty before the first Hello. */
  get epoch(): string {
    return this.epochNow;
  }

  /** True while the stream is connected and the mirror is current. */
  get live(): boolean {
    return this.isLive;
  }

  /**
   * Resolves true once the mirror includes every change up to `seq` (for example a command's
   * seq), false after `timeoutMs`.
   */
  waitForSeq(seq: bigint, timeoutMs = 10_000): Promise<boolean> {
    if (this.seqNow >= seq) {
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const w = {
        seq,
        resolve: (ok: boolean) => {
          clearTimeout(timer);
          this.waiters.delete(w);
          resolve(ok);
        },
      };
      const timer = setTimeout(() => w.resolve(false), timeoutMs);
      this.waiters.add(w);
    });
  }

  /** Stops following the stream (the stream stays open); the mirror keeps its last state. */
  close(): void {
    for (const d of this.detach) {
      d();
    }
    this.isLive = false;
  }

  private onConnected(hello: Hello): void {
    this.epochNow = hello.epoch;
    this.isLive = true;
    if (hello.recovered) {
      this.emit("live", true, this);
      return;
    }
    this.playerState = create(PlayerStateSchema);
    this.queueItems = [];
    this.outputsState = create(OutputsStateSchema);
    this.jobsById = new Map();
    this.playlistsById = new Map();
    this.settingsState = undefined;
    this.mixerState = undefined;
    this.seqNow = 0n; // until the snapshots are in
    this.rebuilding = true;
    // The snapshots follow the hello on the same socket, and the daemon answers a ping after
    // writing them: its pong means the mirror holds every snapshot.
    const at = hello.seq;
    const done = () => {
      this.rebuilding = false;
      this.advance(at);
      this.emit("reset", this);
      this.emit("live", true, this);
    };
    this.stream.ping().then(done, done);
  }

  private advance(seq: bigint): void {
    if (this.rebuilding) {
      return; // until the snapshots are in
    }
    if (seq > this.seqNow) {
      this.seqNow = seq;
    }
    for (const w of [...this.waiters]) {
      if (w.seq <= this.seqNow) {
        w.resolve(true);
      }
    }
  }

  private apply(e: Envelope): void {
    switch (e.body.case) {
      case "player":
        this.playerState = e.body.value.state ?? create(PlayerStateSchema);
        this.emit("change", "player", this);
        return;
      case "queue":
        this.queueItems = this.applyQueue(e.body.value);
        this.emit("change", "queue", this);
        return;
      case "outputs":
        this.outputsState = e.body.value.state ?? create(OutputsStateSchema);
        this.emit("change", "outputs", this);
        return;
      case "jobs":
        this.jobsById = applyJobs(this.jobsById, e.body.value);
        this.emit("change", "jobs", this);
        return;
      case "playlists":
        this.playlistsById = applyPlaylists(this.playlistsById, e.body.value);
        this.emit("change", "playlists", this);
        return;
      case "settings":
        this.settingsState = e.body.value.state;
        this.emit("change", "settings", this);
        return;
      case "mixer":
        this.mixerState = e.body.value.state;
        this.emit("change", "mixer", this);
        return;
      default:
    }
  }

  private applyQueue(c: QueueChanged): readonly QueueItem[] {
    let items = [...this.queueItems];
    switch (c.change.case) {
      case "replaced":
        items = [...c.change.value.items];
        break;
      case "inserted": {
        const at = Math.min(c.change.value.index, items.length);
        items.splice(at, 0, ...c.change.value.items);
        break;
      }
      case "removed": {
        const gone = new Set(c.change.value.itemIds);
        items = items.filter((i) => !gone.has(i.itemId));
        break;
      }
      case "updated": {
        const now = new Map(c.change.value.items.map((i) => [i.itemId, i]));
        items = items.map((i) => now.get(i.itemId) ?? i);
        break;
      }
      case "moved": {
        const { itemId, toIndex } = c.change.value;
        const from = items.findIndex((i) => i.itemId === itemId);
        if (from >= 0) {
          const [item] = items.splice(from, 1);
          items.splice(Math.min(toIndex, items.length), 0, item!);
        }
        break;
      }
      default:
    }
    if (items.length !== c.length) {
      this.logger.warn(`tonearm: mirrored queue has ${items.length} items, the daemon says ${c.length}`);
    }
    return items;
  }

  private emit<K extends keyof StateMirrorEvents>(
    type: K,
    ...args: Parameters<StateMirrorEvents[K]>
  ): void {
    for (const l of this.listeners[type]) {
      try {
        (l as (...a: Parameters<StateMirrorEvents[K]>) => void)(...args);
      } catch (err) {
        this.logger.warn(`tonearm: a mirror '${type}' listener threw; the mirror goes on`, err);
      }
    }
  }
}

function applyJobs(before: ReadonlyMap<string, Job>, c: JobChanged): ReadonlyMap<string, Job> {
  if (c.change.case === "snapshot") {
    return new Map(c.change.value.jobs.map((j) => [j.id, j]));
  }
  if (c.change.case === undefined) {
    return before;
  }
  const job = c.change.value;
  const after = new Map(before);
  after.set(job.id, job);
  return after;
}

function applyPlaylists(
  before: ReadonlyMap<string, PlaylistSummary>,
  c: PlaylistChanged,
): ReadonlyMap<string, PlaylistSummary> {
  if (c.change.case === "snapshot") {
    return new Map(c.change.value.playlists.map((p) => [p.id, p]));
  }
  const after = new Map(before);
  if (c.change.case === "deleted") {
    after.delete(c.playlistId);
  } else if (c.summary) {
    after.set(c.playlistId, c.summary);
  }
  return after;
}
