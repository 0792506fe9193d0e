import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Backoff } from "../../src/index.js";

describe("Backoff", () => {
  it("doubles its ceiling per attempt up to the maximum", () => {
    const b = new Backoff(100, 1000);
    assert.deepEqual([0, 1, 2, 3, 4, 10, 100].map((n) => b.ceilingMs(n)), [100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it("waits between 0 and the ceiling: full jitter", () => {
    assert.equal(new Backoff(100, 1000, () => 0).delayMs(3), 0);
    assert.equal(new Backoff(100, 1000, () => 0.999999).delayMs(3), 800);
    assert.equal(new Backoff(100, 1000, () => 0.5).delayMs(1), 100);
  });

  it("refuses a base below 1 or a maximum below the base", () => {
    assert.throws(() => new Backoff(0, 10), RangeError);
    assert.throws(() => new Backoff(10, 5), RangeError);
  });
});
