// The end-to-end tests' harness: a real daemon (the built jar) on a free port with a music folder
// of synthesized tones, and headless Debian Chromium driven by playwright-core.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, "../../../../..");
export const JAR = process.env.TONEARM_JAR ?? join(REPO, "daemon/target/tonearm-daemon.jar");
export const CHROMIUM = process.env.TONEARM_CHROMIUM ?? "/usr/bin/chromium";
/** Screenshots and logs: the daemon module's target folder, which `mvn clean` removes. */
export const ARTIFACTS = process.env.TONEARM_E2E_OUT ?? join(REPO, "daemon/target/e2e");

/** Chromium's flags on a closed network (see the machine notes): no background traffic, no GPU. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // keep animation frames running in every tab (two tabs play side by side in one test)
  "--disable-background-timer-throttling",
  "--disable-renderer-backgrounding",
  "--disable-backgrounding-occluded-windows",
];

/** Why the browser tests cannot run here, or null when they can. */
export function missing() {
  if (!existsSync(JAR)) return `no daemon jar at ${JAR} (build it first)`;
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (Debian package chromium; .ci/run installs it)`;
  return null;
}

/** A free TCP port on `host` (bound and released, so that a restart can take it again). */
export function freePort(host = "127.0.0.1") {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, host, () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** The first non-loopback IPv4 address of this machine, or null when it has none. */
export function lanAddress() {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === "IPv4" && !a.internal) return a.address;
    }
  }
  return null;
}

/** A 16-bit stereo WAV of a sine (amplitude 0 gives digital silence). */
export function writeTone(path, { hz = 1000, seconds = 20, amplitude = 0.5, rate = 44100 } = {}) {
  const frames = Math.round(seconds * rate);
  const buf = Buffer.alloc(44 + frames * 4);
  buf.write("RIFF", 0);
  buf.writeUInt32LE(36 + frames * 4, 4);
  buf.write("WAVEfmt ", 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(2, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 4, 28);
  buf.writeUInt16LE(4, 32);
  buf.writeUInt16LE(16, 34);
  buf.write("data", 36);
  buf.writeUInt32LE(frames * 4, 40);
  for (let i = 0; i < frames; i++) {
    const v = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * hz * i) / rate));
    buf.writeInt16LE(v, 44 + i * 4);
    buf.writeInt16LE(v, 46 + i * 4);
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, buf);
}

/** A music folder: three tones and a silent track, in one album folder. */
export function makeMusic() {
  const dir = mkdtempSync(join(tmpdir(), "tonearm-e2e-music-"));
  writeTone(join(dir, "Tones", "01 Tone 1000.wav"), { hz: 1000, seconds: 40 });
  writeTone(join(dir, "Tones", "02 Tone 250.wav"), { hz: 250, seconds: 20 });
  writeTone(join(dir, "Tones", "03 Tone 4000.wav"), { hz: 4000, seconds: 20, amplitude: 0.3 });
  writeTone(join(dir, "Tones", "04 Silence.wav"), { amplitude: 0, seconds: 20 });
  return dir;
}

/**
 * A daemon process on `host:port` with `music` as its folder and its own data dir. `start()`
 * resolves once /health answers; `stop()` sends SIGTERM and waits for the exit.
 */
export class Daemon {
  constructor({ host = "127.0.0.1", port, music, dataDir, extra = [] }) {
    this.host = host;
    this.port = port;
    this.music = music;
    this.dataDir = dataDir ?? mkdtempSync(join(tmpdir(), "tonearm-e2e-data-"));
    this.extra = extra;
    this.proc = null;
    this.log = "";
    /** The token this harness's own API calls send; needed when the daemon is not on loopback. */
    this.token = "";
  }

  /** The first admin token, which the daemon writes to its data dir on its first start. */
  adminToken() {
    return readFileSync(join(this.dataDir, "admin.token"), "utf8").trim();
  }

  get url() {
    return `http://${this.host}:${this.port}`;
  }

  async start(timeoutMs = 90_000) {
    const args = [
      "-Xmx256m",
      "-XX:+ExitOnOutOfMemoryError",
      "-XX:TieredStopAtLevel=1",
      "-jar",
      JAR,
      "--bind",
      this.host,
      "--port",
      String(this.port),
      "--data-dir",
      this.dataDir,
      "--music",
      this.music,
      ...this.extra,
    ];
    this.proc = spawn("java", args, { stdio: ["ignore", "pipe", "pipe"] });
    const keep = (d) => {
      this.log = (this.log + d.toString()).slice(-20000);
    };
    this.proc.stdout.on("data", keep);
    this.proc.stderr.on("data", keep);
    const exited = new Promise((res) => this.proc.once("exit", (code) => res(code)));
    this.exited = exited;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const code = await Promise.race([exited, sleep(150).then(() => undefined)]);
      if (code !== undefined) throw new Error(`daemon exited with ${code}:\n${this.log}`);
      try {
        const r = await fetch(`${this.url}/health`); // needs no token
        if (r.ok) return;
      } catch {
        // not listening yet
      }
    }
    throw new Error(`daemon did not answer /health within ${timeoutMs} ms:\n${this.log}`);
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    this.proc.kill("SIGTERM");
    await Promise.race([this.exited, sleep(10_000)]);
    if (this.proc.exitCode === null) this.proc.kill("SIGKILL");
  }

  /** A JSON API call; throws with the daemon's error on a failure status. */
  async api(path, body) {
    const headers = { "content-type": "application/json" };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const r = await fetch(`${this.url}/api/v1/${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${path}: ${r.status} ${text}`);
    return JSON.parse(text);
  }

  /** Waits until the library has scanned `n` tracks. */
  async scanned(n, timeoutMs = 60_000) {
    await until(async () => (await this.api("library")).track_count >= n, timeoutMs, `library of ${n} tracks`);
  }
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` until it returns true. */
export async function until(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ""}`);
}

/** Launches headless Chromium (a fresh temporary profile every time). */
export async function browser() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export function artifact(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
