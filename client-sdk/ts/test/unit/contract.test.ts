import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { COMMANDS } from "../../src/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../..");
const pkg = resolve(root, "client-sdk/ts");

describe("the SDK against the repository's contract", () => {
  it("has exactly the socket commands of docs/PROTOCOL.md's command table", () => {
    const doc = readFileSync(resolve(root, "docs/PROTOCOL.md"), "utf8");
    const start = doc.indexOf("##### Command names");
    const end = doc.indexOf("HTTP only", start);
    assert.ok(start > 0 && end > start, "the Command names section");
    const names = [...doc.slice(start, end).matchAll(/^\| `([a-z_]+\.[a-z_]+)` \|/gm)].map((m) => m[1]);
    assert.ok(names.length > 40);
    assert.deepEqual(Object.keys(COMMANDS).sort(), names.sort());
  });

  it("exports every generated file's messages", () => {
    const gen = readdirSync(resolve(pkg, "src/gen/tonearm/v1")).filter((f) => f.endsWith("_pb.ts"));
    const proto = readFileSync(resolve(pkg, "src/proto.ts"), "utf8");
    for (const f of gen) {
      assert.ok(proto.includes(`./gen/tonearm/v1/${f.replace(/\.ts$/, ".js")}`), `proto.ts exports ${f}`);
    }
  });
});
