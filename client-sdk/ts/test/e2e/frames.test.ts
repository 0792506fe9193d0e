import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import {
  BandLayout,
  type Envelope,
  EventStream,
  TonearmError,
  ValueEncoding,
  Weighting,
  decodeSeries,
  metersView,
  spectrumView,
  stemMetersView,
} from "../../src/index.js";
import { TestDaemon, sineWav } from "./daemon.js";
import { TcpProxy } from "./tcp-proxy.js";

async function until(ok: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("frame subscriptions", () => {
  let daemon: TestDaemon;
  before(async () => {
    daemon = await TestDaemon.start({ music: { "tone.wav": sineWav(1000, 60) } });
    await daemon.post("/api/v1/queue/append", { paths: ["tone.wav"] });
    await daemon.post("/api/v1/player/play");
  });
  after(async () => {
    await daemon.stop();
  });

  it("gets each view's frames by its stream, with the view's options, and keeps them across a reconnect", async () => {
    const proxy = await TcpProxy.start(daemon.port);
    const stream = new EventStream({ url: proxy.url, WebSocket, backoff: { minMs: 5, maxMs: 40 } });
    const spectra: Envelope[] = [];
    const meters: Envelope[] = [];
    try {
      const spectrum = stream.subscribeFrames(
        spectrumView(60, {
          size: 4096,
          layout: BandLayout.OCTAVE,
          octaveFraction: 3,
          weighting: Weighting.A,
          peakDecayDbPerS: 20,
          encoding: ValueEncoding.UINT8,
        }),
        (f) => spectra.push(f),
      );
      const meter = stream.subscribeFrames(metersView(20), (f) => meters.push(f));
      const binding = await spectrum.ready;
      assert.equal(binding.view?.fps, 60);
      assert.equal(binding.view?.spectrum?.octaveFraction, 3);
      assert.equal(binding.view?.spectrum?.weighting, Weighting.A);
      assert.notEqual((await meter.ready).stream, binding.stream);
      await until(() => spectra.length >= 5 && meters.length >= 2, "frames of both views");
      assert.ok(spectra.every((f) => f.stream === spectrum.streamId && f.body.case === "spectrum"));
      assert.ok(meters.every((f) => f.stream === meter.streamId && f.body.case === "meters"));
      const frame = spectra.at(-1)!.body.value as { values?: never; centerHz: number[]; presentationUs: bigint };
      const last = spectra.at(-1)!;
      assert.ok(last.body.case === "spectrum");
      const values = decodeSeries(last.body.value.values);
      assert.ok(values instanceof Uint8Array);
      assert.equal(values.length, frame.centerHz.length, "one value per 1/3-octave band");
      // The 1 kHz tone's band is the loudest.
      const loudest = frame.centerHz[values.indexOf(Math.max(...values))]!;
      assert.ok(loudest > 800 && loudest < 1300, `loudest band at ${loudest} Hz`);

      // A clock estimate maps presentation times onto performance.now().
      await stream.ping();
      assert.ok(stream.clock.ready);
      assert.ok(Number.isFinite(stream.clock.toLocalMs(frame.presentationUs)));

      proxy.cut();
      const before = spectra.length;
      proxy.open();
      await until(() => spectra.length > before + 3, "frames after the reconnect");
      assert.ok(spectra.slice(before).every((f) => f.stream === spectrum.streamId));

      // Closing one subscription stops its frames; the other goes on.
      meter.close();
      await stream.sync();
      const metersThen = meters.length;
      const spectraThen = spectra.length;
      await until(() => spectra.length > spectraThen + 5, "more spectra");
      assert.equal(meters.length, metersThen);
    } finally {
      stream.close();
      await proxy.close();
    }
  });

  it("a view the daemon refuses rejects its subscription with the daemon's code", async () => {
    const stream = new EventStream({ url: daemon.url, WebSocket });
    try {
      const subs = [];
      for (let i = 0; i < 17; i++) {
        subs.push(stream.subscribeFrames(spectrumView(1 + i), () => {}));
      }
      const results = await Promise.allSettled(subs.map((s) => s.ready));
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 16);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      assert.ok(refused.reason instanceof TonearmError);
      assert.equal(refused.reason.code, "too_many_views");
    } finally {
      stream.close();
    }
  });

  it("checks a view before sending it", () => {
    assert.throws(() => spectrumView(60, { size: 1000 }), /power of two/);
    assert.throws(() => spectrumView(121), /fps/);
    assert.throws(() => spectrumView(30, { octaveFraction: 5 }), /octave_fraction/);
  });
});

describe("stem meters", () => {
  let daemon: TestDaemon;
  before(async () => {
    daemon = await TestDaemon.start({
      music: {
        "Duet.stems/vocals.wav": sineWav(1000, 30, 0.5),
        "Duet.stems/drums.wav": sineWav(1000, 30, 0),
      },
    });
    await daemon.post("/api/v1/queue/append", { paths: ["Duet.stems"] });
    await daemon.post("/api/v1/player/play");
  });
  after(async () => {
    await daemon.stop();
  });

  it("gets each stem's levels typed: a -6 dBFS stem and a silent one", async () => {
    const stream = new EventStream({ url: daemon.url, WebSocket });
    const frames: Envelope[] = [];
    try {
      const sub = stream.subscribeFrames(stemMetersView(30), (f) => frames.push(f));
      assert.equal((await sub.ready).view?.topic, "stem_meters");
      const settled = (f: Envelope) =>
        f.body.case === "stemMeters" &&
        f.body.value.stems.length === 2 &&
        (f.body.value.stems[1]?.channels[0]?.rmsDbfs ?? -150) > -9.3;
      await until(() => frames.some(settled), "a settled stem meter frame");
      const f = frames.find(settled)!;
      assert.equal(f.body.case, "stemMeters");
      if (f.body.case !== "stemMeters") return;
      const [drums, vocals] = f.body.value.stems;
      assert.equal(drums!.name, "drums");
      assert.equal(vocals!.name, "vocals");
      assert.ok(vocals!.vocal);
      assert.ok(Math.abs(vocals!.channels[0]!.samplePeakDbfs - -6.02) < 0.05);
      assert.equal(drums!.channels[0]!.samplePeakDbfs, -150);
      assert.ok(Math.abs(f.body.value.mix!.channels[1]!.samplePeakDbfs - -6.02) < 0.05);
    } finally {
      stream.close();
    }
  });

  it("checks the topic", () => {
    assert.deepEqual(stemMetersView(20), { topic: "stem_meters", fps: 20, stemMeters: {} });
    assert.throws(() => stemMetersView(121), /fps/);
  });
});
