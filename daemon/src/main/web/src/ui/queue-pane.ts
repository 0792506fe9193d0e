import type { QueueItem } from "@tonearm/client";
import type { Commands } from "./commands";
import { byId, fmtTime, h, icon } from "./dom";
import { VirtualList } from "./virtual-list";

/**
 * The play queue from the mirror: virtualized (100,000 entries scroll freely), the current entry
 * marked, double click or Enter plays, drag by the handle (or Alt+Up/Down) reorders, the row's
 * button or Delete removes, and a button clears the queue.
 */
export class QueuePane {
  private items: readonly QueueItem[] = [];
  private current = "";
  private readonly list: VirtualList<QueueItem>;

  constructor(private readonly commands: Commands) {
    const pane = byId("pane-queue");
    this.list = new VirtualList<QueueItem>({
      rowHeight: 48,
      label: "Queue",
      empty: "The queue is empty: add tracks from the library",
      render: (row, item, index) => this.render(row, item, index),
      onActivate: (item) => void this.commands.run("player.play", { itemId: item.itemId }),
      onDelete: (item) => void this.commands.run("queue.remove", { itemIds: [item.itemId] }),
      onMove: (item, _from, to) => void this.commands.run("queue.move", { itemId: item.itemId, toIndex: to }),
    });
    const clear = h("button", { class: "btn danger", type: "button", "aria-label": "Clear the queue" }, "Clear");
    clear.addEventListener("click", () => {
      if (this.items.length === 0) return;
      void this.commands.run("queue.clear");
    });
    const jump = h("button", { class: "btn", type: "button", "aria-label": "Show the current track" }, "Current");
    jump.addEventListener("click", () => {
      const i = this.items.findIndex((q) => q.itemId === this.current);
      if (i >= 0) this.list.reveal(i);
    });
    pane.append(h("div", { class: "toolbar" }, h("span", { class: "grow", id: "queue-summary" }), jump, clear), this.list.element);
    this.list.element.id = "queue-list";
  }

  setQueue(items: readonly QueueItem[]): void {
    this.items = items;
    this.list.setSource({ length: items.length, at: (i) => items[i] });
    byId("queue-count").textContent = items.length ? String(items.length) : "";
    let total = 0;
    for (const q of items) total += Number(q.track?.durationMs ?? 0n);
    byId("queue-summary").textContent = items.length
      ? `${items.length} track${items.length === 1 ? "" : "s"} · ${fmtTime(total)}`
      : "";
  }

  setCurrent(itemId: string): void {
    if (itemId === this.current) return;
    this.current = itemId;
    this.list.refresh();
  }

  private render(row: HTMLElement, item: QueueItem | undefined, index: number): void {
    row.classList.toggle("current", !!item && item.itemId === this.current);
    row.dataset.itemId = item?.itemId ?? "";
    const t = item?.track;
    const title = t ? t.title || t.path.split("/").pop() || t.path : "";
    const sub = t ? [t.artist, t.album].filter(Boolean).join(" — ") : "";
    row.setAttribute("aria-label", `${index + 1}. ${title}${sub ? ", " + sub : ""}`);
    // rows are pooled: rebuild the content only when the entry shown changes
    if (row.dataset.shown === (item?.itemId ?? "") + ":" + index) return;
    row.dataset.shown = (item?.itemId ?? "") + ":" + index;
    const remove = h("button", { type: "button", "aria-label": `Remove ${title}`, title: "Remove" }, icon("close"));
    remove.addEventListener("click", (e) => {
      e.stopPropagation();
      if (item) void this.commands.run("queue.remove", { itemIds: [item.itemId] });
    });
    const play = h("button", { type: "button", "aria-label": `Play ${title}`, title: "Play" }, icon("play"));
    play.addEventListener("click", (e) => {
      e.stopPropagation();
      if (item) void this.commands.run("player.play", { itemId: item.itemId });
    });
    row.replaceChildren(
      h("span", { class: "handle", "data-drag": "", "aria-hidden": "true", title: "Drag to reorder" }, icon("drag")),
      h("span", { class: "r-num" }, h("span", {}, String(index + 1))),
      h("div", { class: "r-main" }, h("div", { class: "r-title" }, title), h("div", { class: "r-sub" }, sub)),
      h("span", { class: "r-time" }, t && t.durationMs ? fmtTime(Number(t.durationMs)) : ""),
      h("span", { class: "r-act" }, play, remove),
    );
  }
}
