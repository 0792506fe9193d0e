import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { ConnectionError, type Envelope, EventStream, PlaybackState, TonearmError } from "../../src/index.js";
import { TestDaemon, sineWav } from "./daemon.js";

async function refusal(p: Promise<unknown>): Promise<TonearmError> {
  const e = await p.then(
    () => assert.fail("expected a refusal"),
    (err: unknown) => err,
  );
  assert.ok(e instanceof TonearmError, String(e));
  assert.ok(!(e instanceof ConnectionError), String(e));
  return e;
}

describe("typed commands over the socket", () => {
  let daemon: TestDaemon;
  let stream: EventStream;
  const events: Envelope[] = [];
  before(async () => {
    daemon = await TestDaemon.start({ music: { "tone.wav": sineWav(440, 2) } });
    stream = new EventStream({ url: daemon.url, topics: ["player", "queue"], WebSocket, clientName: "ts-test" });
    stream.on("event", (e) => events.push(e));
  });
  after(async () => {
    stream.close();
    await daemon.stop();
  });

  it("resolves with the reply and the seq of its event, after the event was delivered", async () => {
    const { seq, reply } = await stream.command("player.volume", { volume: 37 });
    assert.equal(reply.$typeName, "tonearm.v1.PlayerReply");
    assert.equal(reply.state?.volume, 37);
    assert.equal(reply.seq, seq);
    const mine = events.find((e) => e.seq === seq);
    assert.ok(mine, "the event is in before the answer");
    assert.equal(mine.body.case === "player" && mine.body.value.origin?.clientName, "ts-test");
  });

  it("runs queries with params and typed replies", async () => {
    const appended = await stream.command("queue.append", { paths: ["tone.wav"] });
    assert.equal(appended.reply.queue?.items.length, 1);
    const found = await stream.command("library.search", undefined, { q: "tone", limit: "5" });
    assert.equal(found.reply.$typeName, "tonearm.v1.TrackList");
    const state = await stream.command("player.state");
    assert.equal(state.reply.state?.queueLength, 1);
    assert.equal(state.reply.state?.state, PlaybackState.STOPPED);
  });

  it("rejects a value out of range with out_of_range naming the field", async () => {
    const e = await refusal(stream.command("player.volume", { volume: 101 }));
    assert.equal(e.code, "out_of_range");
    assert.equal(e.details.field, "volume");
    assert.ok(e.message.length > 0);
    assert.match(e.requestId, /^c\d+$/);
  });

  it("rejects a request without its required field with missing_field", async () => {
    const e = await refusal(stream.command("player.volume", {}));
    assert.equal(e.code, "missing_field");
    assert.equal(e.details.field, "volume");
  });

  it("rejects a seek while stopped with conflict, and unknown ids with not_found", async () => {
    await stream.command("player.stop");
    assert.equal((await refusal(stream.command("player.seek", { positionMs: 500n }))).code, "conflict");
    assert.equal((await refusal(stream.command("queue.remove", { itemIds: ["no-such-item"] }))).code, "not_found");
    assert.equal((await refusal(stream.command("outputs.enable", undefined, { id: "no-such-output" }))).code, "not_found");
  });

  it("a refused command changes nothing", async () => {
    const before = (await stream.command("player.state")).reply.state;
    await refusal(stream.command("player.volume", { volume: -1 }));
    const after = (await stream.command("player.state")).reply.state;
    assert.equal(after?.volume, before?.volume);
  });

  it("rejects a name outside the table without sending anything", async () => {
    const e = await refusal(stream.command("player.dance" as never));
    assert.equal(e.code, "unknown_command");
  });
});

describe("access tokens", () => {
  it("connects with a token offered as the subprotocol where loopback is not trusted, and not without", async () => {
    const daemon = await TestDaemon.start({ args: ["--trust-loopback", "off"] });
    const token = daemon.adminToken!;
    assert.match(token, /^tnrm_/);
    const without = new EventStream({ url: daemon.url, topics: ["player"], WebSocket, backoff: { minMs: 50, maxMs: 100 } });
    const withToken = new EventStream({ url: daemon.url, topics: ["player"], WebSocket, token: () => token });
    try {
      const ends: number[] = [];
      without.on("disconnected", (d) => ends.push(d.code));
      const { reply } = await withToken.command("player.volume", { volume: 21 });
      assert.equal(reply.state?.volume, 21);
      assert.equal(withToken.state, "open");
      while (ends.length < 2) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(without.currentHello, undefined, "refused without a token");
      assert.notEqual(without.state, "open");
    } finally {
      without.close();
      withToken.close();
      await daemon.stop();
    }
  });
});

describe("zones", () => {
  let daemon: TestDaemon;
  before(async () => {
    daemon = await TestDaemon.start({ music: {} });
  });
  after(async () => {
    await daemon.stop();
  });

  it("a stream follows its zone: hello, its commands and events; removing the zone ends it with 4004", async () => {
    const main = new EventStream({ url: daemon.url, topics: ["player"], WebSocket });
    const seen: Envelope[] = [];
    main.on("event", (e) => seen.push(e));
    const made = await main.command("zones.create", { id: "ts-zone" });
    assert.equal(made.reply.zone?.id, "ts-zone");
    const zoned = new EventStream({ url: daemon.url, topics: ["player"], WebSocket, zone: "ts-zone" });
    const hello = await new Promise<string>((resolve) => zoned.on("connected", (h) => resolve(h.zone)));
    assert.equal(hello, "ts-zone");
    const events: Envelope[] = [];
    zoned.on("event", (e) => events.push(e));
    const { seq } = await zoned.command("player.volume", { volume: 21 });
    const mine = events.find((e) => e.seq === seq);
    assert.ok(mine, "the zone's event is in before the answer");
    assert.equal(mine.zone, "ts-zone");
    // Sound settings are the zone's own too: the zoned stream's crossfade is not the default zone's.
    const xf = await zoned.command("settings.crossfade", { seconds: 3 });
    assert.equal(xf.reply.state?.crossfade?.seconds, 3);
    const def = await main.command("settings.get");
    assert.equal(def.reply.state?.crossfade?.seconds ?? 0, 0, "the default zone's crossfade is unchanged");
    const other = await main.command("player.volume", { volume: 22 });
    assert.ok(seen.some((e) => e.seq === other.seq && e.zone === "default"));
    assert.ok(!seen.some((e) => e.zone === "ts-zone"), "the default zone's stream saw none of ts-zone's events");
    const ended = new Promise<{ code: number; reconnectInMs: number }>((resolve) => zoned.on("disconnected", resolve));
    await main.command("zones.delete", undefined, { id: "ts-zone" });
    const d = await ended;
    assert.equal(d.code, 4004);
    assert.equal(d.reconnectInMs, -1);
    zoned.close();
    main.close();
  });
});
