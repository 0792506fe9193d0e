// Tonearm's built-in page: one WebSocket in protobuf's JSON mapping, no polling.
// The page keeps the player state and the queue from the events it receives and
// extrapolates the position from the position model (position + server time + rate).
"use strict";

const $ = (id) => document.getElementById(id);
let player = null;
let queue = [];
let last = null; // {epoch, seq} of the last state event, for resume

function fmt(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
}

function log(text) {
  const el = $("log");
  el.textContent = text + "\n" + el.textContent.slice(0, 4000);
}

function applyQueue(change) {
  if (change.replaced) queue = change.replaced.items || [];
  if (change.inserted) queue.splice(change.inserted.index || 0, 0, ...(change.inserted.items || []));
  if (change.removed) {
    const gone = new Set(change.removed.item_ids || []);
    queue = queue.filter((i) => !gone.has(i.item_id));
  }
  if (change.moved) {
    const from = queue.findIndex((i) => i.item_id === change.moved.item_id);
    if (from >= 0) queue.splice(change.moved.to_index || 0, 0, queue.splice(from, 1)[0]);
  }
  renderQueue();
}

function renderQueue() {
  const ol = $("queue");
  ol.innerHTML = "";
  const current = player && player.current ? player.current.item_id : null;
  for (const item of queue) {
    const li = document.createElement("li");
    const t = item.track || {};
    li.textContent = (t.title || t.path || item.item_id) + (t.artist ? " — " + t.artist : "");
    if (item.item_id === current) li.className = "current";
    li.ondblclick = () => command("play", { item_id: item.item_id });
    ol.appendChild(li);
  }
}

function renderPlayer() {
  if (!player) return;
  const t = (player.current && player.current.track) || {};
  $("title").textContent = t.title || t.path || "—";
  $("artist").textContent = [t.artist, t.album].filter(Boolean).join(" · ");
  $("state").textContent = (player.state || "").replace("PLAYBACK_STATE_", "").toLowerCase() +
    (player.shuffle ? " · shuffle" : "") + " · repeat " +
    (player.repeat || "REPEAT_MODE_NONE").replace("REPEAT_MODE_", "").toLowerCase();
  if (document.activeElement !== $("volume")) $("volume").value = player.volume || 0;
  renderQueue();
}

function tick() {
  if (player && player.position) {
    const p = player.position;
    const now = Date.now() * 1000;
    const pos = Number(p.position_us || 0) + (now - Number(p.server_time_us || now)) * (p.rate || 0);
    const dur = Number(player.duration_ms || 0);
    $("time").textContent = fmt(pos / 1000) + " / " + fmt(dur);
    $("progress").style.width = dur > 0 ? Math.min(100, pos / 10 / dur) + "%" : "0";
  }
  requestAnimationFrame(tick);
}

async function command(name, body) {
  const r = await fetch("/api/v1/player/" + name, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body || {}),
  });
  if (!r.ok) log("error " + r.status + ": " + (await r.text()));
}

function connect(delay) {
  const params = new URLSearchParams({ topics: "player,queue", format: "json" });
  if (last) params.set("resume", last.epoch + ":" + last.seq);
  const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") +
    location.host + "/ws?" + params);
  ws.onopen = () => { $("conn").textContent = "live"; $("conn").className = "on"; delay = 500; };
  ws.onclose = () => {
    $("conn").textContent = "reconnecting…"; $("conn").className = "off";
    setTimeout(() => connect(Math.min(delay * 2, 10000)), delay * (0.5 + Math.random()));
  };
  ws.onmessage = (m) => {
    const e = JSON.parse(m.data);
    if (e.hello) { log("hello epoch " + e.hello.epoch + (e.hello.recovered ? " (resumed)" : "")); return; }
    if (e.seq && e.seq !== "0") last = { epoch: e.epoch, seq: e.seq };
    if (e.player) { player = e.player.state; renderPlayer(); log("player " + (e.player.cause || "")); }
    if (e.queue) { applyQueue(e.queue); log("queue " + Object.keys(e.queue).join(",")); }
  };
}

// Frames on a second socket: a 64-band log spectrum and the meters at 30 fps. Each frame is
// stamped with the time its audio is heard, so it is drawn then, not when it arrives.
const pending = [];
function connectFrames(delay) {
  const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") +
    location.host + "/ws?format=json");
  ws.onopen = () => {
    delay = 500;
    ws.send(JSON.stringify({ request_id: "views", subscribe: { views: [
      { topic: "spectrum", fps: 30, spectrum: { layout: "BAND_LAYOUT_LOG", band_count: 64, min_db: -90 } },
      { topic: "meters", fps: 10 },
    ] } }));
  };
  ws.onclose = () => setTimeout(() => connectFrames(Math.min(delay * 2, 10000)), delay);
  ws.onmessage = (m) => {
    const e = JSON.parse(m.data);
    if (e.spectrum || e.meters) pending.push(e);
    if (pending.length > 64) pending.shift();
  };
}

function drawFrames() {
  const now = Date.now() * 1000;
  let spectrum = null;
  while (pending.length) {
    const e = pending[0];
    const at = Number((e.spectrum || e.meters).presentation_us || 0);
    if (at > now) break;
    pending.shift();
    if (e.spectrum) spectrum = e.spectrum;
    if (e.meters) {
      const ch = e.meters.channels || [];
      const lufs = (v) => (v === undefined ? "—" : Number(v).toFixed(1));
      $("meters").textContent = ch.map((c) => lufs(c.sample_peak_dbfs)).join(" / ") +
        " dBFS peak · M " + lufs(e.meters.momentary_lufs) + " · S " + lufs(e.meters.short_term_lufs) +
        " · I " + lufs(e.meters.integrated_lufs) + " LUFS";
    }
  }
  if (spectrum) {
    const values = (spectrum.values && spectrum.values.f32) || [];
    const c = $("spectrum").getContext("2d");
    const w = c.canvas.width, h = c.canvas.height;
    c.clearRect(0, 0, w, h);
    c.fillStyle = "#6af";
    const bw = w / Math.max(1, values.length);
    values.forEach((db, i) => {
      const v = Math.max(0, Math.min(1, (db + 90) / 90));
      c.fillRect(i * bw, h - v * h, bw - 1, v * h);
    });
  }
  requestAnimationFrame(drawFrames);
}

document.querySelectorAll("button[data-cmd]").forEach((b) => (b.onclick = () => command(b.dataset.cmd)));
$("volume").onchange = (ev) => command("volume", { volume: Number(ev.target.value) });
connect(500);
connectFrames(500);
requestAnimationFrame(tick);
requestAnimationFrame(drawFrames);
