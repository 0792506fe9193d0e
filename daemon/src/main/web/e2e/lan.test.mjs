// The page opened from another machine: a daemon bound to this machine's non-loopback address
// serves a page that works on that address (its own origin is always allowed) once it has a token
// (every address but loopback needs one: it asks, the test pastes the first admin token), while a
// page of another origin on the same address is refused the API and the socket until
// --allow-origin names it.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";
import { browser, Daemon, freePort, lanAddress, makeMusic, missing, until } from "./harness.mjs";

const lan = lanAddress();

/** Runs in a page: can it read the daemon's API and open its socket? */
async function tryDaemon([base, token]) {
  const api = await fetch(`${base}/api/v1/player`).then(
    (r) => `status ${r.status}`,
    () => "refused",
  );
  const ws = await new Promise((res) => {
    const s = new WebSocket(`${base.replace("http", "ws")}/ws`, token ? ["tonearm.v1", `tonearm.bearer.${token}`] : undefined);
    s.onopen = () => {
      s.close();
      res("open");
    };
    s.onerror = () => res("refused");
  });
  return { api, ws };
}
const skip = missing() ?? (lan ? null : "this machine has no non-loopback IPv4 address");
if (missing() && process.env.TONEARM_REQUIRE_BROWSER === "1") {
  throw new Error(`browser tests required but cannot run: ${missing()}`);
}

describe(`page served on a LAN address (${lan})`, { skip: skip ?? false, timeout: 180_000 }, () => {
  let daemon;
  let chrome;
  let other;

  before(async () => {
    daemon = new Daemon({ host: lan, port: await freePort(lan), music: makeMusic() });
    await daemon.start();
    daemon.token = daemon.adminToken();
    await daemon.scanned(4);
    await daemon.api("queue/append", { paths: ["Tones/02 Tone 250.wav"] });
    chrome = await browser();
    // another site on the same machine and address: a different origin (another port)
    other = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!doctype html><title>other</title><p>another site</p>");
    });
    await new Promise((r) => other.listen(0, lan, r));
  });

  after(async () => {
    await chrome?.close();
    await daemon?.stop();
    other?.close();
  });

  test("the page connects, shows the state and runs commands", async () => {
    const page = await chrome.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${daemon.url}/`);
    // not loopback: the page asks for a token before it opens the socket
    await page.waitForSelector("#token-dialog[open]", { timeout: 30_000 });
    assert.match(await page.locator("#token-why").textContent(), /only with a token/);
    await page.fill("#token-input", "not a token");
    await page.click("#token-dialog button[type=submit]");
    assert.match(await page.locator("#token-error").textContent(), /tnrm_/);
    await page.fill("#token-input", daemon.adminToken());
    await page.click("#token-dialog button[type=submit]");
    await page.waitForSelector("#conn.live", { timeout: 30_000 });
    await page.waitForFunction(() => document.getElementById("queue-count").textContent === "1");
    await page.click("#play");
    await until(async () => (await daemon.api("player")).state.state === "PLAYBACK_STATE_PLAYING", 15_000, "PLAYING");
    await page.waitForFunction(() => document.getElementById("title").textContent === "02 Tone 250");
    assert.deepEqual(errors, []);
    // the token is kept: a reload connects without asking
    await page.reload();
    await page.waitForSelector("#conn.live", { timeout: 30_000 });
    assert.equal(await page.locator("#token-dialog[open]").count(), 0);
    await page.close();
  });

  test("a page of another origin is refused the socket and the API", async () => {
    const page = await chrome.newPage();
    await page.goto(`http://${lan}:${other.address().port}/`);
    const result = await page.evaluate(tryDaemon, [daemon.url, daemon.token]);
    // the daemon answers 403 without CORS headers: the browser gives the page nothing
    assert.deepEqual(result, { api: "refused", ws: "refused" });
    await page.close();
  });

  test("the same page is let in once its origin is allowed with --allow-origin", async () => {
    const origin = `http://${lan}:${other.address().port}`;
    await daemon.stop();
    daemon.extra = ["--allow-origin", origin];
    await daemon.start();
    const page = await chrome.newPage();
    await page.goto(`${origin}/`);
    // past the origin check: the API answers (401 without a token, readable through CORS), and
    // the socket opens with the token
    const result = await page.evaluate(tryDaemon, [daemon.url, daemon.token]);
    assert.deepEqual(result, { api: "status 401", ws: "open" });
    await page.close();
  });
});
