import { create, equals, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { TonearmError } from "./errors.js";
import {
  type Envelope,
  type FrameView,
  FrameViewSchema,
  type StreamBinding,
} from "./gen/tonearm/v1/events_pb.js";
import type { FrameViewInit } from "./views.js";

/** Gets each frame of a subscription: the envelope (`presentation_us` is in its body). */
export type FrameListener = (e: Envelope) => void;

/** What a subscription needs from its stream. */
interface Owner {
  release(sub: FrameSubscription): void;
}

/**
 * One frame view subscribed on an event stream, kept across reconnects until {@link close}. Made
 * by `EventStream.subscribeFrames`. Identical views share one daemon stream (and one stream id);
 * closing a subscription unsubscribes the stream when no other subscription of this client uses
 * it.
 */
export class FrameSubscription {
  /** The view as asked for. */
  readonly view: FrameView;
  /** Settles with the daemon's binding (the view with its defaults filled in) on the first connection. */
  readonly ready: Promise<StreamBinding>;

  /** The daemon stream id on the current connection; undefined until bound. */
  streamId: string | undefined;
  /** The view with the daemon's defaults filled in, once bound. */
  binding: StreamBinding | undefined;

  private readonly owner: Owner;
  private readonly listener: FrameListener;
  private settle: ((b: StreamBinding) => void) | undefined;
  private fail: ((e: TonearmError) => void) | undefined;
  private closed = false;

  /** @internal */
  constructor(owner: Owner, view: FrameViewInit, listener: FrameListener) {
    this.owner = owner;
    this.view = create(FrameViewSchema, view);
    this.listener = listener;
    this.ready = new Promise<StreamBinding>((resolve, reject) => {
      this.settle = resolve;
      this.fail = reject;
    });
    this.ready.catch(() => {}); // a refusal is also reported to whoever awaits it
  }

  /** Stops this subscription's frames. Idempotent. */
  close(): void {
    if (!this.closed) {
      this.closed = true;
      this.owner.release(this);
    }
  }

  /** @internal The Ack of its Subscribe: finds its stream among the connection's. */
  bound(streams: readonly StreamBinding[], before: ReadonlySet<string> = new Set()): void {
    const mine = matchBinding(this.view, streams, before);
    if (mine === undefined) {
      return;
    }
    this.streamId = mine.stream;
    this.binding = mine;
    this.settle?.(mine);
    this.settle = undefined;
  }

  /** @internal The daemon refused the view. */
  refused(error: TonearmError): void {
    this.closed = true;
    this.streamId = undefined;
    this.fail?.(error);
    this.fail = undefined;
  }

  /** @internal */
  deliver(e: Envelope, logger: { warn(m: string, ...r: unknown[]): void }): void {
    if (this.closed) {
      return;
    }
    try {
      this.listener(e);
    } catch (err) {
      logger.warn("tonearm: a frame listener threw; the stream goes on", err);
    }
  }
}

/**
 * The binding of `view` among a connection's streams (`before`: the ids the connection had
 * before its Subscribe): the one whose view equals `view` on every field `view` sets (its other
 * fields are the daemon's defaults). Merging `view` over a binding's
 * view (protobuf merge: concatenated encodings) changes nothing exactly then.
 */
export function matchBinding(
  view: FrameView,
  streams: readonly StreamBinding[],
  before: ReadonlySet<string> = new Set(),
): StreamBinding | undefined {
  const asked = toBinary(FrameViewSchema, view);
  const sameTopic = streams.filter((s) => s.view?.topic === view.topic);
  for (const s of sameTopic) {
    const theirs = toBinary(FrameViewSchema, s.view!);
    const merged = new Uint8Array(theirs.length + asked.length);
    merged.set(theirs);
    merged.set(asked, theirs.length);
    if (equals(FrameViewSchema, fromBinary(FrameViewSchema, merged), s.view!)) {
      return s;
    }
  }
  // The daemon normalised a value (e.g. max_hz cut at Nyquist): the one stream of the topic that
  // this subscribe added, or the only stream of the topic.
  const added = sameTopic.filter((s) => !before.has(s.stream));
  if (added.length === 1) {
    return added[0];
  }
  return sameTopic.length === 1 ? sameTopic[0] : undefined;
}
