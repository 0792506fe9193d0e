// Bytes per second on /ws for the same frame subscription in binary protobuf and in protobuf
// JSON (?format=json), received at the same time from one daemon playing a tone.
//
// Usage (from client-sdk/ts, after a Maven build):
//   npx tsc -p tsconfig.test.json && TONEARM_JAR=../../daemon/target/tonearm-daemon.jar \
//     node build/bench/socket-bytes.js [seconds per run, 10] [runs, 5]
// Prints one line per view set and run, then the medians. Payload bytes are the WebSocket
// messages' payloads; the framing adds 2 bytes per message under 126 bytes, 4 under 64 KiB.
import { create, fromBinary, type MessageInitShape, toBinary, toJson } from "@bufbuild/protobuf";
import WebSocket from "ws";
import {
  BandLayout,
  ClientMessageSchema,
  EnvelopeSchema,
  type FrameViewInit,
  FrameViewSchema,
  ValueEncoding,
  metersView,
  spectrumView,
} from "../src/index.js";
import { TestDaemon, sineWav } from "../test/e2e/daemon.js";

interface Tally {
  messages: number;
  bytes: number;
  framing: number;
  byTopic: Record<string, number>;
}

const SETS: Record<string, FrameViewInit[]> = {
  "spectrum 2048 linear f32 (1025 bins) + meters, 60 fps": [spectrumView(60, {}), metersView(60)],
  "spectrum 1/3 octave f32 (31 bands) + meters, 60 fps": [
    spectrumView(60, { size: 4096, layout: BandLayout.OCTAVE, octaveFraction: 3 }),
    metersView(60),
  ],
  "spectrum 1/12 octave u8 (~120 bands) + meters, 60 fps": [
    spectrumView(60, { size: 8192, layout: BandLayout.OCTAVE, octaveFraction: 12, encoding: ValueEncoding.UINT8 }),
    metersView(60),
  ],
};

function open(url: string, json: boolean, views: FrameViewInit[], tally: Tally): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace("http", "ws")}/ws?format=${json ? "json" : "binary"}`);
    ws.binaryType = "arraybuffer";
    ws.on("error", reject);
    ws.on("open", () => {
      const m = create(ClientMessageSchema, { requestId: "bench", body: { case: "subscribe", value: { views: views.map((v) => create(FrameViewSchema, v as MessageInitShape<typeof FrameViewSchema>)) } } });
      ws.send(json ? JSON.stringify(toJson(ClientMessageSchema, m)) : toBinary(ClientMessageSchema, m));
      resolve(ws);
    });
    ws.on("message", (data: ArrayBuffer | Buffer, isBinary: boolean) => {
      const bytes = isBinary ? (data as ArrayBuffer).byteLength : Buffer.byteLength(data as Buffer);
      let topic = "?";
      if (isBinary) {
        topic = fromBinary(EnvelopeSchema, new Uint8Array(data as ArrayBuffer)).body.case ?? "?";
      } else {
        const o = JSON.parse(data.toString()) as Record<string, unknown>;
        topic = ["spectrum", "meters", "hello", "ack", "error"].find((k) => k in o) ?? "?";
      }
      if (topic !== "spectrum" && topic !== "meters") {
        return; // count the frames only
      }
      tally.messages++;
      tally.bytes += bytes;
      tally.framing += bytes < 126 ? 2 : bytes < 65536 ? 4 : 10;
      tally.byTopic[topic] = (tally.byTopic[topic] ?? 0) + bytes;
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 10);
  const runs = Number(process.argv[3] ?? 5);
  const daemon = await TestDaemon.start({ music: { "tone.wav": sineWav(440, 600, 0.3) } });
  try {
    await daemon.post("/api/v1/queue/append", { paths: ["tone.wav"] });
    await daemon.post("/api/v1/player/play");
    for (const [name, views] of Object.entries(SETS)) {
      const bin: number[] = [];
      const json: number[] = [];
      const rates: number[] = [];
      for (let r = 0; r < runs; r++) {
        const tb: Tally = { messages: 0, bytes: 0, framing: 0, byTopic: {} };
        const tj: Tally = { messages: 0, bytes: 0, framing: 0, byTopic: {} };
        const a = await open(daemon.url, false, views, tb);
        const b = await open(daemon.url, true, views, tj);
        await new Promise((res) => setTimeout(res, 1000)); // both streams running
        Object.assign(tb, { messages: 0, bytes: 0, framing: 0, byTopic: {} });
        Object.assign(tj, { messages: 0, bytes: 0, framing: 0, byTopic: {} });
        await new Promise((res) => setTimeout(res, seconds * 1000));
        a.close();
        b.close();
        const bps = tb.bytes / seconds;
        const jps = tj.bytes / seconds;
        bin.push(bps);
        json.push(jps);
        rates.push(tb.messages / seconds);
        console.log(
          `${name} run ${r + 1}: binary ${Math.round(bps)} B/s (${tb.messages} msgs, spectrum ${tb.byTopic.spectrum ?? 0} B, meters ${tb.byTopic.meters ?? 0} B), ` +
            `json ${Math.round(jps)} B/s (${tj.messages} msgs), json/binary ${(jps / bps).toFixed(2)}`,
        );
      }
      console.log(
        `MEDIAN ${name}: binary ${Math.round(median(bin))} B/s, json ${Math.round(median(json))} B/s, ` +
          `json/binary ${(median(json) / median(bin)).toFixed(2)}, ${median(rates).toFixed(1)} frames/s`,
      );
    }
  } finally {
    await daemon.stop();
  }
}

await main();
