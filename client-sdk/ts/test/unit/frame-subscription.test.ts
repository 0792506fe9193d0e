import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import { FrameViewSchema, StreamBindingSchema, SpectrumWindow, spectrumView } from "../../src/index.js";
import { matchBinding } from "../../src/frame-subscription.js";

function binding(stream: string, size: number, maxHz = 20000) {
  return create(StreamBindingSchema, {
    stream,
    view: { topic: "spectrum", fps: 60, spectrum: { size, window: SpectrumWindow.HANN, bandCount: 64, octaveFraction: 3, minHz: 20, maxHz } },
  });
}

describe("matchBinding", () => {
  it("finds the stream whose view has every field the request sets, the rest being defaults", () => {
    const asked = create(FrameViewSchema, spectrumView(60, { size: 4096 }));
    const streams = [binding("s1", 2048), binding("s2", 4096), create(StreamBindingSchema, { stream: "m", view: { topic: "meters", fps: 60 } })];
    assert.equal(matchBinding(asked, streams)?.stream, "s2");
  });

  it("takes the stream its subscribe added when the daemon normalised a value", () => {
    const asked = create(FrameViewSchema, spectrumView(60, { size: 4096, maxHz: 30000 }));
    const streams = [binding("s1", 2048), binding("s2", 4096, 22050)];
    assert.equal(matchBinding(asked, streams, new Set(["s1"]))?.stream, "s2");
    assert.equal(matchBinding(asked, streams, new Set(["s1", "s2"])), undefined);
  });
});
