import { h } from "./dom";

/** Where a list's rows come from: a length and the row at an index (undefined while not loaded). */
export interface RowSource<T> {
  readonly length: number;
  at(index: number): T | undefined;
}

export interface VirtualListOptions<T> {
  /** Row height in CSS pixels (every row is as high). */
  rowHeight: number;
  /** Accessible name of the list. */
  label: string;
  /** Fills a pooled row element for `item` (undefined: still loading). */
  render: (row: HTMLElement, item: T | undefined, index: number) => void;
  /** The rows from `first` to `last` are on screen (load them if they are not). */
  onRange?: (first: number, last: number) => void;
  /** Enter or double click on a row. */
  onActivate?: (item: T, index: number) => void;
  /** Delete or Backspace on a row. */
  onDelete?: (item: T, index: number) => void;
  /** A row dragged by its handle ([data-drag]) or moved with Alt+Up/Down to `to`. */
  onMove?: (item: T, from: number, to: number) => void;
  /** Text when the list is empty. */
  empty?: string;
}

/**
 * A list that keeps only the rows on screen in the DOM (plus a few), so that 100,000 entries
 * scroll as lightly as 10: a spacer as high as all rows, and a small pool of absolutely placed row
 * elements refilled on scroll. Keyboard: Up/Down/Home/End/PageUp/PageDown move the active row,
 * Enter activates, Delete removes, Alt+Up/Down moves the row. Rows are dragged by their handle
 * with pointer events (mouse, pen and touch alike).
 */
export class VirtualList<T> {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly emptyNote: HTMLElement;
  private readonly indicator: HTMLElement;
  private readonly pool: HTMLElement[] = [];
  private source: RowSource<T> = { length: 0, at: () => undefined };
  private active = -1;
  private scheduled = false;
  private drag: { from: number; to: number; pointer: number; row: HTMLElement } | null = null;
  private static count = 0;
  private readonly idBase = `vl${VirtualList.count++}`;

  constructor(private readonly opts: VirtualListOptions<T>) {
    this.spacer = h("div", { class: "vl-spacer" });
    this.indicator = h("div", { class: "vl-drop", hidden: true });
    this.emptyNote = h("div", { class: "vl-empty" }, opts.empty ?? "Nothing here");
    this.element = h(
      "div",
      { class: "vl", role: "listbox", tabindex: 0, "aria-label": opts.label },
      this.spacer,
      this.indicator,
      this.emptyNote,
    );
    this.element.addEventListener("scroll", () => this.schedule(), { passive: true });
    this.element.addEventListener("keydown", (e) => this.key(e));
    new ResizeObserver(() => this.schedule()).observe(this.element);
  }

  /** New rows (the same source object may be passed again after it changed). */
  setSource(source: RowSource<T>): void {
    this.source = source;
    if (this.active >= source.length) this.active = source.length - 1;
    this.schedule();
  }

  /** Redraws the visible rows (after their data changed). */
  refresh(): void {
    this.schedule();
  }

  /** Scrolls so that `index` is visible. */
  reveal(index: number): void {
    const rh = this.opts.rowHeight;
    const top = index * rh;
    const el = this.element;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rh > el.scrollTop + el.clientHeight) el.scrollTop = top + rh - el.clientHeight;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.layout();
    });
  }

  private layout(): void {
    const rh = this.opts.rowHeight;
    const n = this.source.length;
    this.spacer.style.height = `${n * rh}px`;
    this.emptyNote.hidden = n > 0;
    const el = this.element;
    const first = Math.max(0, Math.floor(el.scrollTop / rh) - 4);
    const visible = Math.ceil((el.clientHeight || 400) / rh) + 8;
    const last = Math.min(n - 1, first + visible - 1);
    const need = Math.max(0, last - first + 1);
    while (this.pool.length < need) {
      const row = h("div", { class: "vl-row", role: "option" });
      row.style.height = `${rh}px`;
      row.addEventListener("dblclick", () => this.activate(Number(row.dataset.index)));
      row.addEventListener("click", () => this.setActive(Number(row.dataset.index), false));
      row.addEventListener("pointerdown", (e) => this.dragStart(e, row));
      this.pool.push(row);
      el.append(row);
    }
    for (let i = 0; i < this.pool.length; i++) {
      const row = this.pool[i];
      const index = first + i;
      if (i >= need) {
        row.hidden = true;
        continue;
      }
      row.hidden = false;
      row.dataset.index = String(index);
      row.id = `${this.idBase}-${index}`;
      row.style.transform = `translateY(${index * rh}px)`;
      row.setAttribute("aria-setsize", String(n));
      row.setAttribute("aria-posinset", String(index + 1));
      row.setAttribute("aria-selected", String(index === this.active));
      row.classList.toggle("active", index === this.active);
      this.opts.render(row, this.source.at(index), index);
    }
    if (this.active >= 0 && this.active >= first && this.active <= last) {
      el.setAttribute("aria-activedescendant", `${this.idBase}-${this.active}`);
    } else {
      el.removeAttribute("aria-activedescendant");
    }
    if (need > 0) this.opts.onRange?.(first, last);
  }

  private setActive(index: number, reveal = true): void {
    if (this.source.length === 0) return;
    this.active = Math.max(0, Math.min(this.source.length - 1, index));
    if (reveal) this.reveal(this.active);
    this.schedule();
  }

  private activate(index: number): void {
    const item = this.source.at(index);
    if (item !== undefined) this.opts.onActivate?.(item, index);
  }

  private key(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.element.clientHeight / this.opts.rowHeight) - 1);
    const a = this.active;
    const item = a >= 0 ? this.source.at(a) : undefined;
    if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown") && item !== undefined && this.opts.onMove) {
      const to = e.key === "ArrowUp" ? a - 1 : a + 1;
      if (to >= 0 && to < this.source.length) {
        this.opts.onMove(item, a, to);
        this.active = to;
      }
    } else if (e.key === "ArrowDown") this.setActive(a + 1);
    else if (e.key === "ArrowUp") this.setActive(a - 1);
    else if (e.key === "Home") this.setActive(0);
    else if (e.key === "End") this.setActive(this.source.length - 1);
    else if (e.key === "PageDown") this.setActive(a + page);
    else if (e.key === "PageUp") this.setActive(a - page);
    else if (e.key === "Enter" && item !== undefined) this.opts.onActivate?.(item, a);
    else if ((e.key === "Delete" || e.key === "Backspace") && item !== undefined && this.opts.onDelete) {
      this.opts.onDelete(item, a);
    } else return;
    e.preventDefault();
    e.stopPropagation();
  }

  private dragStart(e: PointerEvent, row: HTMLElement): void {
    if (!this.opts.onMove || !(e.target as HTMLElement).closest("[data-drag]")) return;
    const from = Number(row.dataset.index);
    if (this.source.at(from) === undefined) return;
    e.preventDefault();
    row.setPointerCapture(e.pointerId);
    row.classList.add("dragging");
    this.drag = { from, to: from, pointer: e.pointerId, row };
    const move = (ev: PointerEvent) => this.dragMove(ev);
    const up = (ev: PointerEvent) => {
      row.removeEventListener("pointermove", move);
      row.removeEventListener("pointerup", up);
      row.removeEventListener("pointercancel", up);
      this.dragEnd(ev.type === "pointerup");
    };
    row.addEventListener("pointermove", move);
    row.addEventListener("pointerup", up);
    row.addEventListener("pointercancel", up);
  }

  private dragMove(e: PointerEvent): void {
    const d = this.drag;
    if (!d) return;
    const el = this.element;
    const r = el.getBoundingClientRect();
    const rh = this.opts.rowHeight;
    // scroll when near the edges
    if (e.clientY < r.top + rh) el.scrollTop -= rh / 2;
    else if (e.clientY > r.bottom - rh) el.scrollTop += rh / 2;
    const y = e.clientY - r.top + el.scrollTop;
    const slot = Math.max(0, Math.min(this.source.length, Math.round(y / rh)));
    // the slot between rows the pointer is at, as the index the row gets once moved
    d.to = slot > d.from ? slot - 1 : slot;
    this.indicator.hidden = false;
    this.indicator.style.transform = `translateY(${slot * rh - 1}px)`;
  }

  private dragEnd(drop: boolean): void {
    const d = this.drag;
    this.drag = null;
    this.indicator.hidden = true;
    if (!d) return;
    d.row.classList.remove("dragging");
    const item = this.source.at(d.from);
    if (drop && item !== undefined && d.to !== d.from) {
      this.active = d.to;
      this.opts.onMove!(item, d.from, d.to);
    }
  }
}
