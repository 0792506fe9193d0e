import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import { type Envelope, EnvelopeSchema, HelloSchema, ResumeCursor } from "../../src/index.js";

function event(epoch: string, seq: bigint): Envelope {
  return create(EnvelopeSchema, { epoch, seq, body: { case: "player", value: {} } });
}

describe("ResumeCursor", () => {
  it("after a snapshot hello: snapshots at the hello's seq, then events above it", () => {
    const c = new ResumeCursor();
    assert.equal(c.resumeParam(), undefined);
    c.hello(create(HelloSchema, { epoch: "e1", seq: 10n, recovered: false }));
    assert.equal(c.accept(event("e1", 10n)), "snapshot");
    assert.equal(c.accept(event("e1", 10n)), "snapshot");
    assert.equal(c.accept(event("e1", 11n)), "event");
    assert.equal(c.accept(event("e1", 10n)), "duplicate");
    assert.equal(c.accept(event("e1", 11n)), "duplicate");
    c.snapshotsDone();
    assert.equal(c.resumeParam(), "e1:11");
  });

  it("offers no resume point until the snapshots of a snapshot hello are known to be in", () => {
    const c = new ResumeCursor({ epoch: "old", seq: 9n });
    c.hello(create(HelloSchema, { epoch: "e1", seq: 10n, recovered: false }));
    assert.equal(c.accept(event("e1", 10n)), "snapshot");
    assert.equal(c.resumeParam(), undefined);
    c.snapshotsDone();
    assert.equal(c.resumeParam(), "e1:10");
  });

  it("after a resumed hello: nothing at or below the last seq is delivered again", () => {
    const c = new ResumeCursor({ epoch: "e1", seq: 5n });
    assert.equal(c.resumeParam(), "e1:5");
    c.hello(create(HelloSchema, { epoch: "e1", seq: 9n, recovered: true }));
    assert.equal(c.accept(event("e1", 5n)), "duplicate");
    assert.equal(c.accept(event("e1", 6n)), "event");
    assert.equal(c.accept(event("e1", 9n)), "event");
    assert.deepEqual(c.position(), { epoch: "e1", seq: 9n });
  });

  it("a new epoch voids the old position; stale messages of the old run are dropped", () => {
    const c = new ResumeCursor({ epoch: "old", seq: 500n });
    c.hello(create(HelloSchema, { epoch: "new", seq: 3n, recovered: false }));
    assert.equal(c.accept(event("old", 501n)), "duplicate");
    assert.equal(c.accept(event("new", 3n)), "snapshot");
    assert.equal(c.accept(event("new", 4n)), "event");
    c.snapshotsDone();
    assert.equal(c.resumeParam(), "new:4");
  });

  it("frames and control messages do not move the position", () => {
    const c = new ResumeCursor();
    c.hello(create(HelloSchema, { epoch: "e", seq: 1n }));
    c.snapshotsDone();
    assert.equal(c.accept(create(EnvelopeSchema, { epoch: "e", stream: "s1", body: { case: "meters", value: {} } })), "frame");
    assert.equal(c.accept(create(EnvelopeSchema, { epoch: "e", body: { case: "pong", value: {} } })), "control");
    assert.equal(c.resumeParam(), "e:1");
  });
});
