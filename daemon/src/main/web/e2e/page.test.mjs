// The page in headless Chromium against a real daemon (the built jar) started here: it shows the
// state, follows another tab's commands, searches and adds, reorders by dragging, draws the
// spectrum only while sound plays, seeks from the overview, shows refusals, and reconnects when
// the daemon comes back. Screenshots at phone and desktop sizes go to daemon/target/e2e.
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { artifact, browser, Daemon, freePort, makeMusic, missing, sleep, until } from "./harness.mjs";

const skip = missing();
if (skip && process.env.TONEARM_REQUIRE_BROWSER === "1") {
  throw new Error(`browser tests required but cannot run: ${skip}`);
}

describe("page", { skip: skip ?? false, timeout: 300_000 }, () => {
  let daemon;
  let chrome;
  let ctx;

  before(async () => {
    daemon = new Daemon({ port: await freePort(), music: makeMusic() });
    await daemon.start();
    await daemon.scanned(4);
    await daemon.api("queue/append", { paths: ["Tones/01 Tone 1000.wav", "Tones/02 Tone 250.wav", "Tones/03 Tone 4000.wav"] });
    chrome = await browser();
    ctx = await chrome.newContext({ viewport: { width: 1440, height: 900 } });
  });

  after(async () => {
    await chrome?.close();
    await daemon?.stop();
  });

  /** A new tab on the page, with console warnings and page errors collected. */
  async function open(context = ctx) {
    const page = await context.newPage();
    page.problems = [];
    page.on("pageerror", (e) => page.problems.push(`pageerror: ${e.message}`));
    await page.goto(daemon.url + "/");
    await page.waitForSelector("#conn.live", { timeout: 30_000 });
    return page;
  }

  /** Pixels of the spectrum canvas that are not fully transparent. */
  function spectrumInk(page) {
    return page.evaluate(() => {
      const c = document.getElementById("spectrum");
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
      return n;
    });
  }

  async function player() {
    return (await daemon.api("player")).state;
  }

  test("loads and shows the state: connection, current track, queue", async () => {
    const page = await open();
    // queued, nothing started yet: no current entry
    assert.equal((await player()).current, undefined);
    assert.equal(await page.locator("#title").textContent(), "Nothing playing");
    await page.waitForSelector("#queue-list .vl-row[data-item-id]");
    assert.equal(await page.locator("#queue-count").textContent(), "3");
    const titles = await page.locator("#queue-list .vl-row[data-item-id] .r-title").allTextContents();
    assert.deepEqual(titles, ["01 Tone 1000", "02 Tone 250", "03 Tone 4000"]);
    assert.equal(await page.getAttribute("#play", "aria-label"), "Play (Space)");
    assert.match(await page.locator("#conn-text").textContent(), /Live/);
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test("play in one tab changes the state in a second tab", async () => {
    const a = await open();
    const b = await open();
    assert.equal(await b.getAttribute("#play", "aria-label"), "Play (Space)");
    await a.click("#play");
    await b.waitForFunction(() => document.getElementById("play").getAttribute("aria-label") === "Pause (Space)", null, {
      timeout: 10_000,
    });
    await until(async () => (await player()).state === "PLAYBACK_STATE_PLAYING", 10_000, "PLAYING");
    await b.waitForFunction(() => document.getElementById("title").textContent === "01 Tone 1000");
    await a.close();
    await b.close();
  });

  test("the spectrum draws a playing tone and falls to blank when paused", async () => {
    const page = await open();
    await until(async () => (await spectrumInk(page)) > 500, 15_000, "spectrum pixels for the tone");
    await page.click("#play"); // pause
    await until(async () => (await player()).state === "PLAYBACK_STATE_PAUSED", 10_000, "PAUSED");
    await until(async () => (await spectrumInk(page)) === 0, 10_000, "a blank spectrum after pause");
    // it stays blank: no frames while nothing is audible, and the last one is not kept on screen
    await sleep(500);
    assert.equal(await spectrumInk(page), 0);
    await page.click("#play"); // play again
    await until(async () => (await spectrumInk(page)) > 500, 15_000, "spectrum pixels after play");
    await page.close();
  });

  test("a click on the overview seeks there", async () => {
    const page = await open();
    await until(async () => (await player()).state === "PLAYBACK_STATE_PLAYING", 10_000, "PLAYING");
    const box = await page.locator("#overview").boundingBox();
    await page.mouse.click(box.x + box.width * 0.75, box.y + box.height / 2);
    // 75% of the 40 s track: 30 s, heard a moment later
    await until(
      async () => {
        const s = await player();
        const pos = Number(s.position.position_us) / 1e3;
        return pos >= 29_000 && pos <= 34_000;
      },
      10_000,
      "position near 30 s",
    );
    await page.close();
  });

  test("screenshots at phone and desktop sizes while a tone plays", async () => {
    const page = await open();
    await until(async () => (await spectrumInk(page)) > 500, 15_000, "spectrum pixels");
    await sleep(1500); // meters and waveform fill up
    const desktop = artifact("desktop-1440x900.png");
    await page.screenshot({ path: desktop });
    await page.close();
    const phoneCtx = await chrome.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const phone = await open(phoneCtx);
    await until(async () => (await spectrumInk(phone)) > 500, 15_000, "spectrum pixels on the phone");
    await sleep(1500);
    const small = artifact("phone-390x844.png");
    await phone.screenshot({ path: small });
    await phone.screenshot({ path: artifact("phone-390x844-full.png"), fullPage: true });
    // nothing wider than the screen: the page scrolls only vertically on a phone
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow} px wider than a phone screen`);
    await phoneCtx.close();
    for (const f of [desktop, small]) assert.ok(statSync(f).size > 20_000, `${f} looks empty`);
  });

  test("search as you type and add a track to the queue", async () => {
    const page = await open();
    await page.click("#tab-library");
    await page.fill("#library-search", "Silence");
    const row = page.locator("#library-list .vl-row", { hasText: "04 Silence" });
    await row.waitFor({ timeout: 10_000 });
    await row.getByRole("button", { name: "Add 04 Silence to the queue" }).click();
    await until(async () => (await daemon.api("queue")).queue.items.length === 4, 10_000, "4 queued");
    const items = (await daemon.api("queue")).queue.items;
    assert.equal(items[3].track.title, "04 Silence");
    await page.waitForFunction(() => document.getElementById("queue-count").textContent === "4");
    await page.close();
  });

  test("drag a queue entry by its handle to reorder", async () => {
    const page = await open();
    await page.waitForFunction(() => document.getElementById("queue-count").textContent === "4");
    const rows = page.locator("#queue-list .vl-row[data-item-id]");
    const last = rows.filter({ hasText: "04 Silence" });
    const handle = last.locator(".handle");
    const from = await handle.boundingBox();
    const top = await rows.first().boundingBox();
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) {
      await page.mouse.move(from.x + from.width / 2, from.y + ((top.y + 4 - from.y) * i) / 8);
      await sleep(30);
    }
    await page.mouse.up();
    await until(async () => (await daemon.api("queue")).queue.items[0].track.title === "04 Silence", 10_000, "moved to the top");
    await page.waitForFunction(() => document.querySelector("#queue-list .vl-row[aria-posinset='1']")?.textContent?.includes("04 Silence"));
    await page.close();
  });

  test("reconnects and resumes after the daemon restarts", async () => {
    await daemon.api("player/play", {});
    const page = await open();
    await daemon.stop();
    await page.waitForSelector("#conn.down", { timeout: 15_000 });
    assert.match(await page.locator("#conn-text").textContent(), /Disconnected/);
    await daemon.start();
    await page.waitForSelector("#conn.live", { timeout: 30_000 });
    // the restarted daemon restored the queue (paused); the page shows it and commands work
    await page.waitForFunction(() => document.getElementById("queue-count").textContent === "4");
    await page.click("#play");
    await until(async () => (await player()).state === "PLAYBACK_STATE_PLAYING", 15_000, "PLAYING after restart");
    await page.waitForFunction(() => document.getElementById("play").getAttribute("aria-label") === "Pause (Space)");
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test("a malformed message is ignored with a console warning and the page goes on", async () => {
    const page = await open();
    const warnings = [];
    page.on("console", (m) => {
      if (m.type() === "warning") warnings.push(m.text());
    });
    // bytes that are no protobuf Envelope (field 1 with wire type 7), handed to the socket's message handler as if received
    await page.evaluate(() => window.tonearm.stream.onMessage(new Uint8Array([0x0f]).buffer));
    await until(async () => warnings.some((w) => /malformed/.test(w)), 5_000, "a console warning");
    // still live: keyboard control and the state from the daemon keep working
    const before = await page.getAttribute("#play", "aria-label");
    await page.locator("body").press("Space");
    await page.waitForFunction((b) => document.getElementById("play").getAttribute("aria-label") !== b, before, { timeout: 10_000 });
    await page.locator("body").press("Space");
    await page.waitForFunction((b) => document.getElementById("play").getAttribute("aria-label") === b, before, { timeout: 10_000 });
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test("a refused command is shown to the user", async () => {
    const page = await open();
    await page.click("#tab-queue");
    await page.getByRole("button", { name: "Clear the queue" }).click();
    await until(async () => (await daemon.api("queue")).queue.items.length === 0, 10_000, "an empty queue");
    await page.waitForFunction(() => document.getElementById("play").getAttribute("aria-label") === "Play (Space)");
    await page.click("#play"); // the daemon refuses: 409 conflict, the queue is empty
    const toast = page.locator(".toast.error");
    await toast.first().waitFor({ timeout: 10_000 });
    assert.match(await toast.first().textContent(), /player\.toggle failed.*conflict.*queue is empty/s);
    await page.close();
  });
});
