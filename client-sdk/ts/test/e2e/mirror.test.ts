import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { clone, create, equals, fromJson } from "@bufbuild/protobuf";
import WebSocket from "ws";
import {
  type CommandName,
  EventStream,
  PlaybackState,
  type PlayerState,
  PlayerStateSchema,
  QueueItemSchema,
  RepeatMode,
  StateMirror,
  TonearmError,
  positionAtUs,
} from "../../src/index.js";
import { TestDaemon, sineWav } from "./daemon.js";

/** A seeded generator (mulberry32), so a failing sequence of commands can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FILES = ["a.wav", "b.wav", "c.wav", "d.wav"];

describe("StateMirror", () => {
  let daemon: TestDaemon;
  before(async () => {
    const music: Record<string, Buffer> = {};
    FILES.forEach((f, i) => (music[f] = sineWav(220 * (i + 1), 3)));
    daemon = await TestDaemon.start({ music });
  });
  after(async () => {
    await daemon.stop();
  });

  it("equals GET /api/v1/player and /api/v1/queue after each of 60 random commands sent through the SDK", async () => {
    const seed = Number(process.env.TONEARM_SEED ?? Date.now() % 100000);
    const rnd = random(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const stream = new EventStream({ url: daemon.url, topics: ["player", "queue", "outputs", "jobs"], WebSocket });
    const mirror = new StateMirror(stream);
    // The seq of the last player and queue event the mirror took, to compare at the same seq.
    let playerSeq = 0n;
    let queueSeq = 0n;
    const note = (e: { seq: bigint; body: { case: string | undefined } }) => {
      if (e.body.case === "player") playerSeq = e.seq;
      if (e.body.case === "queue") queueSeq = e.seq;
    };
    stream.on("snapshot", note);
    stream.on("event", note);
    const refused: string[] = [];
    try {
      await new Promise<void>((r) => mirror.on("reset", () => r()));
      const commands: (() => [CommandName, object?, Record<string, string>?])[] = [
        () => ["queue.append", { paths: [pick(FILES), pick(FILES)] }],
        () => ["player.volume", { volume: Math.floor(rnd() * 101) }],
        () => ["player.mute", { enabled: rnd() < 0.5 }],
        () => ["player.shuffle", { enabled: rnd() < 0.5 }],
        () => ["player.repeat", { mode: pick([RepeatMode.NONE, RepeatMode.ALL, RepeatMode.ONE]) }],
        () => ["player.single", { enabled: rnd() < 0.2 }],
        () => ["player.play", mirror.queue.length > 0 && rnd() < 0.5 ? { itemId: pick(mirror.queue).itemId } : undefined],
        () => ["player.pause"],
        () => ["player.toggle"],
        () => ["player.next"],
        () => ["player.previous"],
        () => ["player.seek", { positionMs: BigInt(Math.floor(rnd() * 2500)) }],
        () => ["queue.move", { itemId: mirror.queue.length ? pick(mirror.queue).itemId : "none", toIndex: Math.floor(rnd() * Math.max(1, mirror.queue.length)) }],
        () => ["queue.remove", { itemIds: mirror.queue.length ? [pick(mirror.queue).itemId] : [] }],
        () => ["player.stop"],
      ];
      for (let i = 0; i < 60; i++) {
        const [name, request, params] = i < 2 ? commands[0]!() : pick(commands)();
        try {
          await stream.command(name, request as never, params);
        } catch (e) {
          assert.ok(e instanceof TonearmError, `${name}: ${String(e)}`);
          refused.push(`${name}: ${e.code}`);
        }
        await assertSame(daemon, mirror, () => playerSeq, () => queueSeq, `after command ${i} (${name}), seed ${seed}`);
      }
      assert.ok(refused.length < 40, `most commands were applied (refused: ${refused.join(", ")})`);
    } finally {
      stream.close();
    }
  });
});

/**
 * Fetches the player and queue over HTTP and compares them with the mirror once the mirror has
 * taken the same seq (refetching when the daemon moved on by itself meanwhile: LOADING to
 * PLAYING, the end of an item).
 */
async function assertSame(
  daemon: TestDaemon,
  mirror: StateMirror,
  playerSeq: () => bigint,
  queueSeq: () => bigint,
  what: string,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const http = await daemon.get("/api/v1/player");
    const httpQueue = await daemon.get("/api/v1/queue");
    // Every player and queue event up to the seq of the two replies is in the mirror after this.
    const synced = await mirror.stream.sync();
    const seq = BigInt(http.seq);
    assert.ok(synced >= seq && synced >= BigInt(httpQueue.seq));
    if ((playerSeq() > seq || queueSeq() > seq) && attempt < 50) {
      continue; // the daemon moved on between the two views (LOADING to PLAYING...): look again
    }
    const want = fromJson(PlayerStateSchema, http.state, { ignoreUnknownFields: false });
    assertSamePlayer(mirror.player, want, what);
    const items = (httpQueue.queue?.items ?? []).map((j: unknown) => fromJson(QueueItemSchema, j as never));
    assert.equal(mirror.queue.length, items.length, `${what}: queue length`);
    mirror.queue.forEach((item, i) =>
      assert.ok(equals(QueueItemSchema, item, items[i]), `${what}: queue item ${i}\n got ${JSON.stringify(item, big)}\nwant ${JSON.stringify(items[i], big)}`),
    );
    return;
  }
}

/** Equal but for the position, which GET restamps: the two position models must agree. */
function assertSamePlayer(got: PlayerState, want: PlayerState, what: string): void {
  const a = clone(PlayerStateSchema, got);
  const b = clone(PlayerStateSchema, want);
  a.position = undefined;
  b.position = undefined;
  assert.ok(equals(PlayerStateSchema, a, b), `${what}: player state\n got ${JSON.stringify(a, big)}\nwant ${JSON.stringify(b, big)}`);
  const at = Number(want.position?.serverTimeUs ?? 0n);
  const mine = positionAtUs(got.position, at);
  const theirs = positionAtUs(want.position, at);
  assert.equal(got.position?.rate ?? 0, want.position?.rate ?? 0, `${what}: rate`);
  if (want.state !== PlaybackState.PLAYING) {
    assert.equal(mine, theirs, `${what}: position while not playing`);
  } else {
    // Both models come from the same output clock; they differ only by its jitter.
    assert.ok(Math.abs(mine - theirs) < 500_000, `${what}: position ${mine} vs ${theirs} us`);
  }
  void create;
}

function big(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}
