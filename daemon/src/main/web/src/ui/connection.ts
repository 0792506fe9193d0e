import type { EventStream } from "@tonearm/client";
import { byId } from "./dom";
import type { Toasts } from "./toast";

/**
 * The connection indicator: live, connecting, or down with the reason and when the next try is.
 * The SDK reconnects by itself (backoff with jitter) and resumes where it stopped; this only tells
 * the user. Errors the daemon reports outside any command are shown too.
 */
export function wireConnection(stream: EventStream, toasts: Toasts): void {
  const box = byId("conn");
  const text = byId("conn-text");
  let retryAt = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const set = (cls: string, t: string) => {
    box.className = `conn ${cls}`;
    text.textContent = t;
  };
  const countdown = () => {
    const s = Math.max(0, Math.ceil((retryAt - Date.now()) / 1000));
    set("down", s > 0 ? `Disconnected, retrying in ${s} s` : "Disconnected, retrying…");
  };
  stream.on("state", (s) => {
    if (s === "open") {
      clearInterval(timer);
      timer = undefined;
      set("live", "Live");
    } else if (s === "connecting") {
      set("connecting", "Connecting…");
    } else if (s === "closed") {
      clearInterval(timer);
      set("down", "Disconnected");
    }
  });
  stream.on("disconnected", (d) => {
    retryAt = Date.now() + d.reconnectInMs;
    countdown();
    clearInterval(timer);
    timer = setInterval(countdown, 500);
    box.title = `closed ${d.code}${d.reason ? ": " + d.reason : ""}`;
  });
  stream.on("connected", (hello) => {
    box.title = `daemon ${hello.serverVersion}, epoch ${hello.epoch}${hello.recovered ? " (resumed)" : ""}`;
  });
  stream.on("error", (e) => toasts.error("The daemon reported an error", `${e.code}: ${e.message}`));
}
