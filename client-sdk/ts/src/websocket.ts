/**
 * The part of the WHATWG WebSocket the SDK uses. Browsers' global `WebSocket` has it, and so has
 * the `ws` package's `WebSocket` in Node (Node 20 has no stable global WebSocket).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the event types differ between browsers and `ws`;
   the SDK reads only `data` of a message and `code`/`reason` of a close. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: any) => void) | null;
  onclose: ((ev: any) => void) | null;
  onerror: ((ev: any) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket constructor: `globalThis.WebSocket`, or `WebSocket` of the `ws` package. */
export type WebSocketConstructor = new (url: string, protocols?: string[]) => WebSocketLike;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** `readyState` of an open socket. */
export const OPEN = 1;

/** The constructor to use: the one given, else the global one, else a clear error. */
export function resolveWebSocket(given?: WebSocketConstructor): WebSocketConstructor {
  if (given) {
    return given;
  }
  const global = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof global === "function") {
    return global as WebSocketConstructor;
  }
  throw new TypeError(
    "no global WebSocket here (Node 20 has none): pass one, e.g. " +
      "`import WebSocket from \"ws\"` and `{ WebSocket }` in the options",
  );
}

/** The `/ws` URL under a daemon's base URL (`http://host:7700`, `https://host/prefix/`, `ws://...`). */
export function socketUrl(base: string, query: URLSearchParams): string {
  const u = new URL(base);
  if (u.protocol === "http:") {
    u.protocol = "ws:";
  } else if (u.protocol === "https:") {
    u.protocol = "wss:";
  } else if (u.protocol !== "ws:" && u.protocol !== "wss:") {
    throw new TypeError(`not an http(s) or ws(s) URL: ${base}`);
  }
  if (!u.pathname.endsWith("/ws")) {
    u.pathname = (u.pathname.endsWith("/") ? u.pathname : u.pathname + "/") + "ws";
  }
  u.search = query.toString();
  u.hash = "";
  return u.toString();
}
