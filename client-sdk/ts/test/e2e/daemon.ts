import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The daemon jar: $TONEARM_JAR (the Maven build sets it), else the one the build leaves in daemon/target. */
export function daemonJar(): string {
  const here = dirname(fileURLToPath(import.meta.url)); // build/test/e2e
  return process.env.TONEARM_JAR ?? resolve(here, "../../../../../daemon/target/tonearm-daemon.jar");
}

/** A 16-bit stereo WAV of a sine at `hz`, `seconds` long, at 44.1 kHz. */
export function sineWav(hz: number, seconds: number, amplitude = 0.5): Buffer {
  const rate = 44100;
  const frames = Math.round(rate * seconds);
  const data = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i++) {
    const v = Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * amplitude * 32767);
    data.writeInt16LE(v, i * 4);
    data.writeInt16LE(v, i * 4 + 2);
  }
  const h = Buffer.alloc(44);
  h.write("RIFF", 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write("WAVE", 8);
  h.write("fmt ", 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(2, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 4, 28);
  h.writeUInt16LE(4, 32);
  h.writeUInt16LE(16, 34);
  h.write("data", 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** Options of a test daemon beyond the defaults. */
export interface DaemonOptions {
  /** Extra command-line arguments, e.g. ["--history-events", "16"]. */
  readonly args?: readonly string[];
  /** Music files to write into the music folder, by relative path. */
  readonly music?: Readonly<Record<string, Buffer>>;
  /** Reuse this data dir (a restart); a new temporary one otherwise. */
  readonly dataDir?: string;
}

/**
 * A real daemon (the built jar) on port 0 with its own data dir and music folder, started by a
 * test; its port is read from the start-up line it logs ("listening on http://127.0.0.1:PORT").
 */
export class TestDaemon {
  private constructor(
    readonly process: ChildProcess,
    readonly port: number,
    readonly dataDir: string,
    private readonly ownsDir: boolean,
    readonly log: string[],
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(options: DaemonOptions = {}): Promise<TestDaemon> {
    const ownsDir = options.dataDir === undefined;
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "tonearm-ts-"));
    const music = join(dataDir, "music");
    mkdirSync(music, { recursive: true });
    for (const [path, bytes] of Object.entries(options.music ?? {})) {
      mkdirSync(dirname(join(music, path)), { recursive: true });
      writeFileSync(join(music, path), bytes);
    }
    const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
    const child = spawn(
      java,
      [
        "-Xmx256m",
        "-XX:+ExitOnOutOfMemoryError",
        "-jar",
        daemonJar(),
        "--port",
        "0",
        "--data-dir",
        dataDir,
        "--music",
        music,
        ...(options.args ?? []),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const log: string[] = [];
    const port = await new Promise<number>((resolvePort, reject) => {
      child.on("error", reject);
      const timer = setTimeout(() => reject(new Error(`no start-up line in 60 s:\n${log.join("")}`)), 60_000);
      const onData = (chunk: Buffer) => {
        log.push(chunk.toString());
        const m = /listening on http:\/\/[^:]+:(\d+)/.exec(log.join(""));
        if (m) {
          clearTimeout(timer);
          resolvePort(Number(m[1]));
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`daemon exited with ${code}:\n${log.join("")}`));
      });
    });
    const d = new TestDaemon(child, port, dataDir, ownsDir, log);
    try {
      await d.settled();
    } catch (e) {
      await d.stop(); // a daemon left running would keep the test process alive
      throw e;
    }
    return d;
  }

  /** The admin token the daemon made at its first start (needed with --trust-loopback off). */
  get adminToken(): string | undefined {
    const f = join(this.dataDir, "admin.token");
    return existsSync(f) ? readFileSync(f, "utf8").trim() : undefined;
  }

  private headers(): Record<string, string> {
    const t = this.adminToken;
    return t ? { authorization: `Bearer ${t}` } : {};
  }

  /** GET a JSON resource. */
  async get(path: string): Promise<any> {
    const r = await fetch(this.url + path, { headers: this.headers() });
    if (!r.ok) {
      throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
    }
    return r.json();
  }

  /** POST a JSON body; the parsed JSON reply. */
  async post(path: string, body: unknown = {}): Promise<any> {
    const r = await fetch(this.url + path, {
      method: "POST",
      headers: { "content-type": "application/json", ...this.headers() },
      body: JSON.stringify(body),
    });
    if (!r.ok) {
      throw new Error(`POST ${path}: ${r.status} ${await r.text()}`);
    }
    return r.json();
  }

  /** Waits until the start-up events (restore, the first scan) are out: the seq still for 500 ms, no job running. */
  async settled(): Promise<void> {
    let last = "";
    let stableSince = Date.now();
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const health = await this.get("/health");
      const seq = String(health.seq);
      if (seq !== last) {
        last = seq;
        stableSince = Date.now();
      } else if (Date.now() - stableSince > 500) {
        const jobs = JSON.stringify(await this.get("/api/v1/jobs"));
        if (!jobs.includes("RUNNING") && !jobs.includes("QUEUED")) {
          return;
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the daemon (SIGTERM, then SIGKILL after 5 s); keeps the data dir when `keepData`. */
  async stop(keepData = false): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      const exited = new Promise((r) => this.process.once("exit", r));
      this.process.kill("SIGTERM");
      const timer = setTimeout(() => this.process.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (this.ownsDir && !keepData) {
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}
