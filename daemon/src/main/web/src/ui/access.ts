import { byId } from "./dom";

/**
 * The page's credentials. From the daemon's own machine (loopback) the page needs none; from
 * another machine every request needs a token (docs/PROTOCOL.md "Access"). The page then asks for
 * one once, keeps it in this browser's localStorage, and presents it: `Authorization: Bearer` on
 * its HTTP requests and the `tonearm.bearer.<token>` subprotocol on the socket (a browser cannot
 * set headers on a WebSocket; the daemon answers `tonearm.v1` and never echoes the secret).
 */
const KEY = "tonearm.token";
const TOKEN = /^tnrm_[A-Za-z0-9_-]{43}$/;

export function token(): string {
  try {
    return localStorage.getItem(KEY) ?? "";
  } catch {
    return "";
  }
}

function saveToken(t: string): void {
  try {
    if (t) localStorage.setItem(KEY, t);
    else localStorage.removeItem(KEY);
  } catch {
    // private mode: the token lasts for this page only
  }
}

/** fetch() with the token, when there is one. */
export function authFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const t = token();
  if (!t) return fetch(url, init);
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${t}`);
  return fetch(url, { ...init, headers });
}

/** A WebSocket that offers the token as a subprotocol (for the SDK's `WebSocket` option). */
export class TokenWebSocket extends WebSocket {
  constructor(url: string | URL) {
    const t = token();
    super(url, t ? ["tonearm.v1", `tonearm.bearer.${t}`] : undefined);
  }
}

/**
 * Resolves once the daemon lets this page in: at once from loopback or with a good stored token;
 * otherwise after the user gave a token the daemon accepts (the dialog says how to make one).
 */
export async function admitted(): Promise<void> {
  for (;;) {
    let code = "";
    try {
      const r = await authFetch("/api/v1/player");
      if (r.ok) return;
      if (r.status !== 401) return; // another refusal: the socket will say what it is
      code = ((await r.json()) as { code?: string }).code ?? "token_missing";
    } catch {
      return; // the daemon is not reachable: the connection indicator shows it and retries
    }
    await askForToken(code);
  }
}

/** Shows the token dialog; resolves when the user submitted a well-formed token. */
export function askForToken(code: string): Promise<void> {
  const dialog = byId<HTMLDialogElement>("token-dialog");
  const input = byId<HTMLInputElement>("token-input");
  const why = byId("token-why");
  const error = byId("token-error");
  why.textContent =
    code === "token_missing"
      ? "This daemon lets in other machines only with a token."
      : `The token this browser had was refused (${code}).`;
  error.textContent = "";
  input.value = "";
  return new Promise((resolve) => {
    const submit = (e: Event) => {
      e.preventDefault();
      const t = input.value.trim();
      if (!TOKEN.test(t)) {
        error.textContent = "A token is tnrm_ followed by 43 letters, digits, - or _.";
        return;
      }
      saveToken(t);
      dialog.querySelector("form")!.removeEventListener("submit", submit);
      dialog.close();
      resolve();
    };
    dialog.querySelector("form")!.addEventListener("submit", submit);
    if (!dialog.open) dialog.showModal();
    input.focus();
  });
}
