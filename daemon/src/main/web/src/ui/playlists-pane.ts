import type { PlaylistSummary, QueueItem } from "@tonearm/client";
import type { Commands } from "./commands";
import { byId, h, icon } from "./dom";
import type { Toasts } from "./toast";

/**
 * Playlists from the mirror: play one (it replaces the queue), add it to the queue, delete it,
 * and save the current queue as a new playlist.
 */
export class PlaylistsPane {
  private readonly listEl: HTMLElement;
  private queue: readonly QueueItem[] = [];

  constructor(
    private readonly commands: Commands,
    private readonly toasts: Toasts,
  ) {
    const pane = byId("pane-playlists");
    const name = h("input", { class: "search", type: "text", placeholder: "New playlist name", "aria-label": "New playlist name", maxlength: 200 });
    const save = h("button", { class: "btn primary", type: "button" }, "Save queue");
    save.addEventListener("click", async () => {
      const n = name.value.trim();
      if (!n) {
        this.toasts.error("Give the playlist a name first");
        name.focus();
        return;
      }
      const ids = this.queue.map((q) => q.track?.trackId ?? "").filter(Boolean);
      const r = await this.commands.run("playlists.create", { name: n, trackIds: ids });
      if (r) {
        name.value = "";
        this.toasts.info(`Saved “${n}”`, `${ids.length} tracks`);
      }
    });
    this.listEl = h("div", { class: "cards", role: "list", "aria-label": "Playlists" });
    pane.append(h("div", { class: "toolbar" }, name, save), this.listEl);
  }

  setQueue(q: readonly QueueItem[]): void {
    this.queue = q;
  }

  setPlaylists(all: ReadonlyMap<string, PlaylistSummary>): void {
    const items = [...all.values()].sort((a, b) => a.name.localeCompare(b.name));
    if (items.length === 0) {
      this.listEl.replaceChildren(h("div", { class: "vl-empty", style: "position:static" }, "No playlists yet"));
      return;
    }
    this.listEl.replaceChildren(
      ...items.map((p) => {
        const play = h("button", { type: "button", "aria-label": `Play ${p.name}`, title: "Play" }, icon("play"));
        play.addEventListener("click", () => void this.play(p.id, true));
        const add = h("button", { type: "button", "aria-label": `Add ${p.name} to the queue`, title: "Add to queue" }, icon("add"));
        add.addEventListener("click", () => void this.play(p.id, false));
        const del = h("button", { type: "button", "aria-label": `Delete ${p.name}`, title: "Delete" }, icon("close"));
        del.addEventListener("click", () => {
          if (confirm(`Delete the playlist “${p.name}”?`)) void this.commands.run("playlists.delete", undefined, { id: p.id });
        });
        return h(
          "div",
          { class: "card", role: "listitem" },
          h("div", { class: "grow" }, h("div", { class: "name" }, p.name), h("div", { class: "desc" }, `${p.itemCount} tracks`)),
          h("span", { class: "r-act" }, play, add, del),
        );
      }),
    );
  }

  /** Replaces the queue with the playlist and plays it, or appends it. */
  private async play(id: string, replace: boolean): Promise<void> {
    const r = await this.commands.run("playlists.get", undefined, { id });
    if (!r) return;
    const ids = (r.reply.playlist?.items ?? []).map((i) => i.trackId).filter(Boolean);
    if (!ids.length) {
      this.toasts.info("That playlist is empty");
      return;
    }
    const q = await this.commands.run(replace ? "queue.set" : "queue.append", { trackIds: ids });
    if (q && replace && q.reply.itemIds[0]) await this.commands.run("player.play", { itemId: q.reply.itemIds[0] });
  }
}
