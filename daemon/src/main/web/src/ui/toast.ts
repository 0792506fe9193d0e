import { h } from "./dom";

/**
 * Messages for the user: a refused command says so (with the daemon's code and message) instead
 * of being swallowed. At most five are shown; each goes after eight seconds or on a click.
 */
export class Toasts {
  constructor(private readonly root: HTMLElement) {
    root.setAttribute("role", "alert");
    root.setAttribute("aria-live", "assertive");
  }

  error(title: string, detail = ""): void {
    this.show("error", title, detail);
  }

  info(title: string, detail = ""): void {
    this.show("info", title, detail);
  }

  private show(kind: string, title: string, detail: string): void {
    const el = h(
      "div",
      { class: `toast ${kind}` },
      h("strong", {}, title),
      detail ? h("span", {}, detail) : null,
    );
    el.addEventListener("click", () => el.remove());
    this.root.append(el);
    while (this.root.children.length > 5) this.root.firstElementChild?.remove();
    setTimeout(() => el.remove(), 8000);
  }
}

/** The text a failed command shows: `code: message` when the daemon said why. */
export function describeError(e: unknown): string {
  if (e && typeof e === "object") {
    const o = e as { code?: string; message?: string };
    if (o.code && o.message) return `${o.code}: ${o.message}`;
    if (o.message) return o.message;
  }
  return String(e);
}
