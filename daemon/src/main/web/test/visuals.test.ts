// Known-answer tests of the visuals' logic that needs no canvas: when a frame is shown, how levels
// fall when frames stop, and where frequencies sit on the spectrum's axes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FallingLevels } from "../src/visuals/falling.js";
import { axisPosition, hzLabel, warp } from "../src/visuals/scales.js";
import { FrameTimeline } from "../src/visuals/timeline.js";

test("a frame is handed out once its presentation time has come, not before", () => {
  const t = new FrameTimeline<string>();
  t.push("a", 1_000);
  t.push("b", 2_000);
  assert.equal(t.take(999, 0), null);
  assert.equal(t.take(1_000, 1), "a");
  assert.equal(t.take(1_500, 2), null, "nothing new is due");
  assert.equal(t.take(2_500, 3), "b");
  assert.equal(t.lastShownLocalMs, 3);
});

test("when several frames are due, the newest is shown and the older ones are dropped", () => {
  const t = new FrameTimeline<string>();
  t.push("a", 1_000);
  t.push("b", 2_000);
  t.push("c", 3_000);
  assert.equal(t.take(2_500, 0), "b");
  assert.equal(t.size, 1);
  assert.equal(t.take(10_000, 0), "c");
});

test("a frame older than the one on screen is ignored; frames out of order are sorted", () => {
  const t = new FrameTimeline<string>();
  t.push("b", 2_000);
  t.push("a", 1_000);
  assert.equal(t.take(1_500, 0), "a");
  t.push("stale", 1_200);
  assert.equal(t.take(5_000, 0), "b");
  assert.equal(t.take(5_000, 0), null);
});

test("at most `capacity` frames wait, the oldest going first; clear() drops them all", () => {
  const t = new FrameTimeline<number>(3);
  for (let i = 1; i <= 5; i++) t.push(i, i * 1000);
  assert.equal(t.size, 3);
  t.clear();
  assert.equal(t.size, 0);
  assert.equal(t.take(1e9, 0), null);
});

test("levels fall at their rate to the floor and stay there", () => {
  const l = new FallingLevels(-90, 60);
  l.set([0, -30, -200]);
  assert.deepEqual([...l.values], [0, -30, -90], "values below the floor read the floor");
  assert.equal(l.fall(500), true);
  assert.deepEqual([...l.values], [-30, -60, -90]);
  assert.equal(l.fall(1000), false, "after 1.5 s at 60 dB/s everything is at the floor");
  assert.deepEqual([...l.values], [-90, -90, -90]);
  assert.equal(l.live(), false);
});

test("frequency axes: mel and Bark as the daemon's band layouts define them", () => {
  assert.ok(Math.abs(warp("mel", 1000) - 1000) < 0.05, "1 kHz is 1000 mel (O'Shaughnessy)");
  assert.ok(Math.abs(warp("bark", 1000) - (26.81 * 1000) / 2960 + 0.53) < 1e-9, "Traunmüller 1990");
  assert.equal(axisPosition("linear", 10_010, 20, 20_000), 0.5);
  assert.ok(Math.abs(axisPosition("log", 632.4555, 20, 20_000) - 0.5) < 1e-6, "the geometric mean is the middle of a log axis");
  assert.equal(hzLabel(1000), "1k");
  assert.equal(hzLabel(31.5), "32");
  assert.equal(hzLabel(2500), "2.5k");
});
