import "./style.css";
import { CommandSource, EventStream, MIRROR_TOPICS, PlaybackState, StateMirror } from "@tonearm/client";
import type { Envelope, FrameSubscription } from "@tonearm/client";
import { Visualizer } from "./visuals/visualizer";
import type { VisualKind } from "./visuals/visualizer";
import { loadSettings, saveSettings } from "./visuals/settings";
import { Commands } from "./ui/commands";
import { byId, debounce, setIcon } from "./ui/dom";
import { JobsPane } from "./ui/jobs-pane";
import { LibraryPane } from "./ui/library-pane";
import { NowPlaying } from "./ui/now-playing";
import { OutputsPane } from "./ui/outputs-pane";
import { PlaylistsPane } from "./ui/playlists-pane";
import { QueuePane } from "./ui/queue-pane";
import { buildVisForm } from "./ui/vis-form";
import { describeError, Toasts } from "./ui/toast";
import { wireConnection } from "./ui/connection";
import { wireKeys, wireTabs, wireFullScreen } from "./ui/keys";
import { admitted, askForToken, TokenWebSocket } from "./ui/access";
import { pageZone, wireZonePicker, zoneRemoved } from "./ui/zones";

// from another machine the daemon wants a token: ask for it before the socket tries without one
await admitted();

const toasts = new Toasts(byId("toasts"));
const stream = new EventStream({
  url: location.origin,
  topics: [...MIRROR_TOPICS, "library"],
  clientName: "web",
  source: CommandSource.USER,
  WebSocket: TokenWebSocket,
  zone: pageZone(),
});
const mirror = new StateMirror(stream);
const commands = new Commands(stream, toasts);
const serverNowUs = () => stream.clock.serverNowUs();

const settings = loadSettings();
const vis = new Visualizer(
  {
    spectrum: byId<HTMLCanvasElement>("spectrum"),
    spectrumGrid: byId<HTMLCanvasElement>("spectrum-grid"),
    scope: byId<HTMLCanvasElement>("scope"),
    scroller: byId<HTMLCanvasElement>("scroller"),
    meters: byId<HTMLCanvasElement>("meters"),
    metersText: byId<HTMLCanvasElement>("meters-text"),
  },
  settings,
  serverNowUs,
);

const BODY: Record<VisualKind, Envelope["body"]["case"]> = {
  spectrum: "spectrum",
  scope: "waveform",
  columns: "waveform",
  meters: "meters",
};
const subs = new Map<VisualKind, FrameSubscription>();

/** Subscribes one visual's view; its frames go to the visualizer (others are warned about). */
function subscribe(kind: VisualKind): void {
  subs.get(kind)?.close();
  const view = vis.views()[kind];
  const sub = stream.subscribeFrames(view as never, (e) => {
    if (e.body.case !== BODY[kind] || !e.body.value) {
      console.warn(`tonearm: ignored a frame of kind ${String(e.body.case)} on the ${kind} stream`);
      return;
    }
    vis.accept(kind, e.body.value as never);
  });
  sub.ready.catch((err) => toasts.error(`The ${kind} view was refused`, describeError(err)));
  subs.set(kind, sub);
}
for (const kind of ["spectrum", "scope", "columns", "meters"] as VisualKind[]) subscribe(kind);

buildVisForm(settings, (s) => {
  saveSettings(s);
  vis.applySettings(s);
  subscribe("spectrum");
});

const now = new NowPlaying(commands, serverNowUs);
const queue = new QueuePane(commands);
const library = new LibraryPane(commands, toasts);
const playlists = new PlaylistsPane(commands, toasts);
const outputs = new OutputsPane(commands);
const jobs = new JobsPane(commands);

function showPlayer(): void {
  const p = mirror.player;
  now.update(p);
  queue.setCurrent(p.current?.itemId ?? "");
  vis.setAudible(p.state === PlaybackState.PLAYING);
}
function showAll(): void {
  showPlayer();
  queue.setQueue(mirror.queue);
  playlists.setQueue(mirror.queue);
  playlists.setPlaylists(mirror.playlists);
  outputs.setOutputs(mirror.outputs);
  jobs.setJobs(mirror.jobs);
}
mirror.on("reset", showAll);
mirror.on("change", (part) => {
  switch (part) {
    case "player":
      showPlayer();
      break;
    case "queue":
      queue.setQueue(mirror.queue);
      playlists.setQueue(mirror.queue);
      break;
    case "outputs":
      outputs.setOutputs(mirror.outputs);
      break;
    case "jobs":
      jobs.setJobs(mirror.jobs);
      break;
    case "playlists":
      playlists.setPlaylists(mirror.playlists);
      break;
    default:
  }
});
const libraryChanged = debounce(() => library.invalidate(), 1000);
stream.on("event", (e) => {
  if (e.body.case === "library") {
    const c = e.body.value.change.case;
    if (c === "scanCompleted" || c === "tracksRemoved" || c === "folderAdded" || c === "folderRemoved") libraryChanged();
  }
});

wireConnection(stream, toasts);
// a token revoked or expired while connected (4003): ask for another, then reconnect with it
stream.on("disconnected", (d) => {
  if (d.code === 4003) void askForToken("token_revoked").then(() => location.reload());
  if (d.code === 4004) zoneRemoved(toasts);
});
stream.on("connected", (hello) => void wireZonePicker(byId<HTMLSelectElement>("zone"), hello.zone));
wireTabs();
wireFullScreen();
wireKeys({ now, library });
setIcon(byId("full"), "expand");
byId("help").addEventListener("click", () => byId<HTMLDialogElement>("keys").showModal());

vis.beforeDraw = () => now.tick();
vis.start();

/** For the end-to-end tests and the browser benchmark. */
(window as unknown as { tonearm: unknown }).tonearm = { stream, mirror, stats: vis.stats, vis };
