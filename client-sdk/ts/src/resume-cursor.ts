import type { Envelope, Hello } from "./gen/tonearm/v1/events_pb.js";

/** Where a stream stands: the last state event delivered, within a daemon run. */
export interface StreamPosition {
  /** The daemon run (`Hello.epoch`). */
  readonly epoch: string;
  /** The seq of the last state event delivered (snapshots included). */
  readonly seq: bigint;
}

/** What an incoming envelope is to the application. */
export type EnvelopeKind = "snapshot" | "event" | "duplicate" | "frame" | "control";

/**
 * Tracks the last state event delivered and sorts what arrives: snapshots, new events,
 * duplicates (already delivered, for example around a reconnect), frames and control messages.
 *
 * The rules follow the daemon's contract (docs/PROTOCOL.md, "Connection sequence"): after a hello
 * with `recovered = false` the snapshots carry the hello's seq and every later event a larger
 * one; after `recovered = true` the replay carries seqs above the resumed one. Anything at or
 * below the last delivered seq of the same epoch was delivered already. The Java SDK's
 * `ResumeCursor` follows the same rules.
 */
export class ResumeCursor {
  private epoch: string | undefined;
  private seq = 0n;
  private snapshotSeq = -1n;
  private snapshotsPending = false;

  constructor(initial?: StreamPosition) {
    if (initial) {
      this.epoch = initial.epoch;
      this.seq = initial.seq;
    }
  }

  /**
   * The `epoch:seq` to ask for, or undefined when there is nothing to resume: before the first
   * Hello, and while the snapshots after a Hello with `recovered = false` may not all be in (a
   * connection that broke among them would otherwise resume past the missing ones).
   */
  resumeParam(): string | undefined {
    return this.epoch === undefined || this.snapshotsPending ? undefined : `${this.epoch}:${this.seq}`;
  }

  /** Every snapshot of the last Hello is in (the stream knows by a Pong that followed them). */
  snapshotsDone(): void {
    this.snapshotsPending = false;
  }

  /** The last delivered position, or undefined before the first hello. */
  position(): StreamPosition | undefined {
    return this.epoch === undefined ? undefined : { epoch: this.epoch, seq: this.seq };
  }

  /** Takes a connection's hello; after `recovered = false` the old position is void. */
  hello(hello: Hello): void {
    if (hello.recovered && hello.epoch === this.epoch) {
      this.snapshotSeq = -1n;
      this.snapshotsPending = false;
    } else {
      this.epoch = hello.epoch;
      this.seq = hello.seq;
      this.snapshotSeq = hello.seq;
      this.snapshotsPending = true;
    }
  }

  /** Classifies `e` and, for a new state event, advances the position to its seq. */
  accept(e: Envelope): EnvelopeKind {
    switch (e.body.case) {
      case "hello":
      case "ack":
      case "error":
      case "pong":
        return "control";
      default:
    }
    if (e.stream !== "") {
      return "frame";
    }
    if (e.body.case === undefined && e.seq === 0n) {
      return "control";
    }
    if (this.epoch !== undefined && this.epoch !== e.epoch) {
      // Not of this run: only a stale message from a connection already replaced.
      return "duplicate";
    }
    if (e.seq <= this.seq) {
      return e.seq === this.snapshotSeq ? "snapshot" : "duplicate";
    }
    this.seq = e.seq;
    this.snapshotSeq = -1n;
    return "event";
  }
}
