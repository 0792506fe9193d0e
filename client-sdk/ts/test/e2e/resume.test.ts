import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { toBinary } from "@bufbuild/protobuf";
import WebSocket from "ws";
import { type Envelope, EnvelopeSchema, EventStream, type Hello, StateMirror } from "../../src/index.js";
import { TestDaemon } from "./daemon.js";
import { TcpProxy } from "./tcp-proxy.js";

const FAST = { minMs: 5, maxMs: 40 };

/** Resolves when `stream` has a hello more than `seen` hellos in. */
function nextHello(hellos: Hello[], n: number, timeoutMs = 15_000): Promise<void> {
  return until(() => hellos.length >= n, timeoutMs, `hello #${n}`);
}

async function until(ok: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("resume across forced disconnects", () => {
  let daemon: TestDaemon;
  before(async () => {
    daemon = await TestDaemon.start();
  });
  after(async () => {
    await daemon.stop();
  });

  it("delivers every state event once and in order across 25 cuts, as a direct connection sees them", async () => {
    const proxy = await TcpProxy.start(daemon.port);
    const direct = new EventStream({ url: daemon.url, topics: ["player"], WebSocket, backoff: FAST });
    const cut = new EventStream({ url: proxy.url, topics: ["player"], WebSocket, backoff: FAST });
    const seen: Envelope[] = [];
    const delivered: Envelope[] = [];
    const hellos: Hello[] = [];
    direct.on("event", (e) => seen.push(e));
    cut.on("event", (e) => delivered.push(e));
    cut.on("connected", (h) => hellos.push(h));
    const directHello: Hello[] = [];
    direct.on("connected", (h) => directHello.push(h));
    try {
      await nextHello(hellos, 1);
      await nextHello(directHello, 1);
      const published: bigint[] = [];
      let volume = 0;
      for (let c = 0; c < 25; c++) {
        for (let i = 0; i < 4; i++) {
          // while connected: some are in flight at the cut
          published.push(BigInt((await daemon.post("/api/v1/player/volume", { volume: volume++ % 101 })).seq));
        }
        proxy.cut();
        for (let i = 0; i < 4; i++) {
          // while disconnected
          published.push(BigInt((await daemon.post("/api/v1/player/volume", { volume: volume++ % 101 })).seq));
        }
        proxy.open();
        await nextHello(hellos, c + 2);
      }
      const last = published[published.length - 1]!;
      await until(() => (delivered.at(-1)?.seq ?? 0n) >= last && (seen.at(-1)?.seq ?? 0n) >= last, 15_000, "the last event");
      assert.deepEqual(delivered.map((e) => e.seq), published);
      assert.deepEqual(
        delivered.map((e) => Buffer.from(toBinary(EnvelopeSchema, e)).toString("base64")),
        seen.map((e) => Buffer.from(toBinary(EnvelopeSchema, e)).toString("base64")),
        "the same events, byte for byte, as the uninterrupted connection",
      );
      assert.equal(hellos.length, 26);
      assert.ok(hellos.slice(1).every((h) => h.recovered), "every reconnect resumed");
    } finally {
      cut.close();
      direct.close();
      await proxy.close();
    }
  });

  it("rebuilds from snapshots when the history moved past its seq, and after the daemon restarted", async () => {
    const first = await TestDaemon.start({ args: ["--history-events", "16"] });
    const proxy = await TcpProxy.start(first.port);
    const stream = new EventStream({ url: proxy.url, topics: ["player", "queue", "outputs", "jobs"], WebSocket, backoff: FAST });
    const mirror = new StateMirror(stream);
    const hellos: Hello[] = [];
    const snapshots: Envelope[] = [];
    stream.on("connected", (h) => hellos.push(h));
    stream.on("snapshot", (e) => snapshots.push(e));
    let second: TestDaemon | undefined;
    try {
      await nextHello(hellos, 1);
      // Trimmed: 40 events while away, 16 kept.
      proxy.cut();
      let reply: any;
      for (let v = 0; v < 40; v++) {
        reply = await first.post("/api/v1/player/volume", { volume: v });
      }
      let before = snapshots.length;
      proxy.open();
      await nextHello(hellos, 2);
      assert.equal(hellos[1]!.recovered, false, "too far behind: no resume");
      assert.ok(await mirror.waitForSeq(BigInt(reply.seq)), "mirror current after the snapshot");
      assert.ok(snapshots.length >= before + 4, "a snapshot of each topic came");
      assert.equal(mirror.player.volume, 39);
      assert.equal(mirror.player.volume, (await first.get("/api/v1/player")).state.volume);

      // Restarted: a new epoch, the same data.
      proxy.cut();
      await first.stop(true);
      second = await TestDaemon.start({ dataDir: first.dataDir, args: ["--history-events", "16"] });
      reply = await second.post("/api/v1/player/volume", { volume: 34 });
      before = snapshots.length;
      proxy.target = second.port;
      proxy.open();
      await nextHello(hellos, 3);
      assert.notEqual(hellos[2]!.epoch, hellos[1]!.epoch);
      assert.equal(hellos[2]!.recovered, false);
      assert.ok(await mirror.waitForSeq(BigInt(reply.seq)));
      assert.ok(snapshots.length >= before + 4);
      assert.equal(mirror.epoch, hellos[2]!.epoch);
      assert.equal(mirror.player.volume, 34);
    } finally {
      stream.close();
      await proxy.close();
      await second?.stop();
      await first.stop();
    }
  });
});
