import assert from "node:assert/strict";
import { describe, it } from "node:test";
import WebSocket from "ws";
import { type Envelope, EventStream, TonearmError, ConnectionError } from "../../src/index.js";
import { FakeDaemon } from "./fake-daemon.js";

function recordingLogger(): { warnings: string[]; warn(m: string): void } {
  const warnings: string[] = [];
  return { warnings, warn: (m: string) => void warnings.push(m) };
}

async function until(ok: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe("EventStream against a scripted daemon", () => {
  it("ignores malformed, text and unknown messages with a console warning and goes on", async (t) => {
    const fake = await FakeDaemon.start();
    const logger = recordingLogger();
    t.mock.method(console, "warn", (m: string) => logger.warn(m)); // the default logger
    const stream = new EventStream({ url: fake.url, topics: ["player"], WebSocket, pingIntervalMs: 0 });
    const events: Envelope[] = [];
    stream.on("event", (e) => events.push(e));
    try {
      const ws = await fake.connection();
      FakeDaemon.send(ws, { epoch: "e", body: { case: "hello", value: { epoch: "e", seq: 1n } } });
      ws.send(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])); // not protobuf
      ws.send('{"seq":"2"}'); // a text frame
      ws.send(Buffer.from([0xa8, 0x1f, 0x01])); // field 500 varint: an Envelope body this SDK does not know
      FakeDaemon.send(ws, { epoch: "e", seq: 2n, body: { case: "player", value: { state: { volume: 42 } } } });
      await until(() => events.length === 1, "the good event");
      assert.equal(events[0]!.seq, 2n);
      assert.equal(logger.warnings.length, 3, logger.warnings.join("\n"));
      assert.match(logger.warnings[0]!, /malformed/);
      assert.match(logger.warnings[1]!, /text/);
      assert.match(logger.warnings[2]!, /unknown kind/);
    } finally {
      stream.close();
      await fake.close();
    }
  });

  it("a listener that throws is reported and the others still get the event", async () => {
    const fake = await FakeDaemon.start();
    const logger = recordingLogger();
    const stream = new EventStream({ url: fake.url, topics: ["player"], WebSocket, logger, pingIntervalMs: 0 });
    const got: bigint[] = [];
    stream.on("event", () => {
      throw new Error("boom");
    });
    stream.on("event", (e) => got.push(e.seq));
    try {
      const ws = await fake.connection();
      FakeDaemon.send(ws, { epoch: "e", body: { case: "hello", value: { epoch: "e", seq: 0n } } });
      FakeDaemon.send(ws, { epoch: "e", seq: 1n, body: { case: "player", value: {} } });
      FakeDaemon.send(ws, { epoch: "e", seq: 2n, body: { case: "player", value: {} } });
      await until(() => got.length === 2, "both events");
      assert.equal(logger.warnings.length, 2);
    } finally {
      stream.close();
      await fake.close();
    }
  });

  it("rejects a command with the daemon's Error as a TonearmError carrying code, message and details", async () => {
    const fake = await FakeDaemon.start();
    const stream = new EventStream({ url: fake.url, topics: ["player"], WebSocket, pingIntervalMs: 0 });
    try {
      const ws = await fake.connection();
      FakeDaemon.send(ws, { epoch: "e", body: { case: "hello", value: { epoch: "e", seq: 0n } } });
      const answer = stream.command("player.volume", { volume: 101 });
      await until(() => fake.received.some((m) => m.body.case === "command"), "the command");
      const cmd = fake.received.find((m) => m.body.case === "command")!;
      assert.equal(cmd.body.case === "command" && cmd.body.value.request?.typeUrl, "type.googleapis.com/tonearm.v1.VolumeRequest");
      FakeDaemon.send(ws, {
        epoch: "e",
        body: { case: "error", value: { requestId: cmd.requestId, code: "out_of_range", message: "volume 101 is outside 0..100", details: { field: "volume" } } },
      });
      const err = await answer.then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof TonearmError);
      assert.ok(!(err instanceof ConnectionError));
      assert.equal(err.code, "out_of_range");
      assert.equal(err.message, "volume 101 is outside 0..100");
      assert.deepEqual(err.details, { field: "volume" });
    } finally {
      stream.close();
      await fake.close();
    }
  });

  it("a connection that breaks before its snapshots are confirmed reconnects for new snapshots, not a resume", async () => {
    const fake = await FakeDaemon.start();
    fake.answerPings = false;
    const stream = new EventStream({ url: fake.url, topics: ["player", "queue"], WebSocket, pingIntervalMs: 0, backoff: { minMs: 1, maxMs: 5 } });
    try {
      let ws = await fake.connection();
      FakeDaemon.send(ws, { epoch: "e", body: { case: "hello", value: { epoch: "e", seq: 4n } } });
      FakeDaemon.send(ws, { epoch: "e", seq: 4n, body: { case: "player", value: {} } });
      // ...the queue's snapshot never comes, nor the pong
      let next = fake.connection();
      ws.terminate();
      ws = await next;
      assert.doesNotMatch(fake.urls[1]!, /resume=/);
      FakeDaemon.send(ws, { epoch: "e", body: { case: "hello", value: { epoch: "e", seq: 4n } } });
      FakeDaemon.send(ws, { epoch: "e", seq: 4n, body: { case: "player", value: {} } });
      FakeDaemon.send(ws, { epoch: "e", seq: 4n, body: { case: "queue", value: {} } });
      await until(() => fake.received.some((m) => m.body.case === "ping"), "the ping after the hello");
      const ping = [...fake.received].reverse().find((m) => m.body.case === "ping")!;
      FakeDaemon.send(ws, { epoch: "e", body: { case: "pong", value: { clientTimeUs: ping.body.case === "ping" ? ping.body.value.clientTimeUs : 0n } } });
      const seqs: bigint[] = [];
      stream.on("event", (e) => seqs.push(e.seq));
      FakeDaemon.send(ws, { epoch: "e", seq: 5n, body: { case: "player", value: {} } });
      await until(() => seqs.length === 1, "the event after the pong");
      next = fake.connection();
      ws.terminate();
      await next;
      assert.match(fake.urls[2]!, /resume=e%3A5/);
    } finally {
      stream.close();
      await fake.close();
    }
  });

  it("ends a connection whose pings go unanswered and reconnects", async () => {
    const fake = await FakeDaemon.start();
    fake.answerPings = false;
    const stream = new EventStream({ url: fake.url, topics: ["player"], WebSocket, pingIntervalMs: 50, backoff: { minMs: 1, maxMs: 5 } });
    const ends: string[] = [];
    stream.on("disconnected", (d) => ends.push(d.reason));
    try {
      const ws = await fake.connection();
      const next = fake.connection();
      FakeDaemon.send(ws, { epoch: "e", body: { case: "hello", value: { epoch: "e", seq: 1n } } });
      await next;
      assert.match(ends[0]!, /no pong/);
    } finally {
      stream.close();
      await fake.close();
    }
  });

  it("a command whose connection ends before its answer rejects with a ConnectionError, and the stream reconnects with resume", async () => {
    const fake = await FakeDaemon.start();
    const stream = new EventStream({ url: fake.url, topics: ["player"], WebSocket, pingIntervalMs: 0, backoff: { minMs: 1, maxMs: 5 } });
    try {
      const ws = await fake.connection();
      FakeDaemon.send(ws, { epoch: "e", body: { case: "hello", value: { epoch: "e", seq: 7n } } });
      const answer = stream.command("player.play");
      await until(() => fake.received.some((m) => m.body.case === "command"), "the command");
      const next = fake.connection();
      ws.terminate();
      const err = await answer.then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof ConnectionError);
      assert.equal(err.code, "unreachable");
      await next;
      assert.match(fake.urls[1]!, /resume=e%3A7/);
      assert.match(fake.urls[1]!, /topics=player/);
    } finally {
      stream.close();
      await fake.close();
    }
  });
});
