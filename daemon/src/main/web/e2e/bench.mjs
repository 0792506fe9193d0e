// Browser benchmark of the page (figures for bench/README.md): with a tone playing and the page's
// four 60 fps streams flowing (spectrum, oscilloscope, scrolling waveform, meters), over windows of
// WINDOW_S seconds in headless Chromium (software rendering, --disable-gpu):
//  - animation frames per second and frames the page drew per second (its own counter);
//  - main-thread time per frame: the page's drawing callback (performance.now() around it) and all
//    main-thread tasks (Chrome's Performance.getMetrics TaskDuration: script, style, layout,
//    paint, GC) divided by the frames;
//  - bytes per second on the socket for the same views, binary protobuf and protobuf JSON, from two
//    extra sockets the page opens side by side.
// Usage: node e2e/bench.mjs [runs=3] [window seconds=10]   (TONEARM_JAR: the daemon jar)
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { browser, Daemon, freePort, makeMusic, missing, sleep, until } from "./harness.mjs";

const RUNS = Number(process.argv[2] ?? 3);
const WINDOW_S = Number(process.argv[3] ?? 10);
const why = missing();
if (why) {
  console.error(`cannot run: ${why}`);
  process.exit(2);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

/** CPU seconds of every Chromium renderer's main thread (Linux /proc; its tid is its pid). */
function rendererMainCpu() {
  const out = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8");
      if (!cmd.includes("--type=renderer")) continue;
      const stat = readFileSync(`/proc/${d}/task/${d}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(d, (Number(f[11]) + Number(f[12])) / 100); // utime + stime, in clock ticks of 1/100 s
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const daemon = new Daemon({ port: await freePort(), music: makeMusic() });
await daemon.start();
const chrome = await browser();
try {
  await daemon.scanned(4);
  await daemon.api("queue/append", { paths: ["Tones/01 Tone 1000.wav"] });
  await daemon.api("player/repeat", { mode: "REPEAT_MODE_ONE" });
  await daemon.api("player/play", {});
  const page = await chrome.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(daemon.url + "/");
  await page.waitForSelector("#conn.live", { timeout: 30_000 });
  await until(() => page.evaluate(() => window.tonearm.stats.received.spectrum > 60), 20_000, "spectrum frames");
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const metrics = async () =>
    Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
  const rows = [];
  for (let run = 1; run <= RUNS; run++) {
    const before = await page.evaluate(() => {
      const s = window.tonearm.stats;
      s.drawMs.length = 0;
      window.__raf = 0;
      const tick = () => {
        window.__raf++;
        if (!window.__rafStop) requestAnimationFrame(tick);
      };
      window.__rafStop = false;
      requestAnimationFrame(tick);
      return { drawn: s.framesDrawn, received: { ...s.received } };
    });
    const m0 = await metrics();
    const cpu0 = rendererMainCpu();
    const t0 = Date.now();
    await sleep(WINDOW_S * 1000);
    const m1 = await metrics();
    const cpu1 = rendererMainCpu();
    let cpu = 0;
    for (const [pid, v] of cpu1) cpu = Math.max(cpu, v - (cpu0.get(pid) ?? v));
    const secs = (Date.now() - t0) / 1000;
    const after = await page.evaluate(() => {
      window.__rafStop = true;
      const s = window.tonearm.stats;
      return { drawn: s.framesDrawn, received: { ...s.received }, raf: window.__raf, drawMs: [...s.drawMs] };
    });
    const raf = after.raf / secs;
    const drawn = (after.drawn - before.drawn) / secs;
    const received = Object.fromEntries(Object.keys(after.received).map((k) => [k, (after.received[k] - before.received[k]) / secs]));
    rows.push({
      run,
      rafPerS: raf,
      drawnPerS: drawn,
      received,
      drawMsMedian: median(after.drawMs),
      drawMsP95: pct(after.drawMs, 95),
      drawMsMax: Math.max(...after.drawMs),
      mainThreadMsPerFrame: ((m1.TaskDuration - m0.TaskDuration) * 1000) / after.raf,
      mainThreadCpuMsPerFrame: (cpu * 1000) / after.raf,
      scriptMsPerFrame: ((m1.ScriptDuration - m0.ScriptDuration) * 1000) / after.raf,
      styleLayoutMsPerFrame:
        ((m1.RecalcStyleDuration - m0.RecalcStyleDuration + m1.LayoutDuration - m0.LayoutDuration) * 1000) / after.raf,
      load: loadavg()[0],
    });
    console.log(JSON.stringify(rows[rows.length - 1]));
  }
  // socket bytes for the same four views, binary and JSON, side by side in the page
  const bytes = await page.evaluate(async (windowS) => {
    const views = Object.values(window.tonearm.vis.views());
    const count = (format) =>
      new Promise((res) => {
        let n = 0;
        let frames = 0;
        const ws = new WebSocket(`${location.origin.replace("http", "ws")}/ws?format=${format}`);
        ws.binaryType = "arraybuffer";
        ws.onopen = () => ws.send(JSON.stringify({ request_id: "b", subscribe: { views } }));
        ws.onmessage = (m) => {
          n += typeof m.data === "string" ? new TextEncoder().encode(m.data).length : m.data.byteLength;
          frames++;
        };
        setTimeout(() => {
          ws.close();
          res({ bytesPerS: n / windowS, messagesPerS: frames / windowS });
        }, windowS * 1000);
      });
    const [binary, json] = await Promise.all([count("binary"), count("json")]);
    return { binary, json };
  }, WINDOW_S);
  console.log(JSON.stringify({ socket: bytes }));
  const m = (k) => median(rows.map((r) => r[k]));
  console.log(
    `\nmedian of ${RUNS} windows of ${WINDOW_S} s: ${m("rafPerS").toFixed(1)} animation frames/s, ` +
      `${m("drawnPerS").toFixed(1)} drawn/s; drawing callback ${m("drawMsMedian").toFixed(2)} ms median ` +
      `(p95 ${m("drawMsP95").toFixed(2)} ms); all main-thread tasks ${m("mainThreadMsPerFrame").toFixed(2)} ms per frame (wall), ` +
      `renderer main thread CPU ${m("mainThreadCpuMsPerFrame").toFixed(2)} ms per frame; ` +
      `socket ${(bytes.binary.bytesPerS / 1024).toFixed(1)} KiB/s binary vs ${(bytes.json.bytesPerS / 1024).toFixed(1)} KiB/s JSON ` +
      `(${(bytes.json.bytesPerS / bytes.binary.bytesPerS).toFixed(2)}x); load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`,
  );
} finally {
  await chrome.close();
  await daemon.stop();
}
