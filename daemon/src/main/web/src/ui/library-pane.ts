import type { Album, Artist, LibraryTrack } from "@tonearm/client";
import type { Commands } from "./commands";
import { authFetch } from "./access";
import { byId, debounce, fmtTime, h, icon } from "./dom";
import { describeError, Toasts } from "./toast";
import { VirtualList } from "./virtual-list";

type Row =
  | { kind: "track"; track: LibraryTrack }
  | { kind: "artist"; artist: Artist }
  | { kind: "album"; album: Album }
  | { kind: "dir"; folderId: string; dir: string; name: string };

type Mode = "search" | "artists" | "albums" | "folders" | "tracks";

/** A page of rows and how to get the next one (keyset cursors: stable while the library changes). */
type PageLoader = (cursor: string) => Promise<{ rows: Row[]; next: string }>;

const PAGE = 500;
const SEARCH_LIMIT = 200;

/**
 * The library: search as you type (debounced, the newest answer wins), artists, albums, folders
 * and all tracks, each list virtualized and loaded page by page as it scrolls (a 100,000-track
 * library loads only what is looked at). Tracks can be added to the queue or played at once;
 * artists, albums and folders open, or add all their tracks.
 */
export class LibraryPane {
  private mode: Mode = "search";
  private rows: Row[] = [];
  private next = "";
  private loader: PageLoader | null = null;
  private loading = false;
  private generation = 0;
  private readonly list: VirtualList<Row>;
  private readonly input: HTMLInputElement;
  private readonly crumbs: HTMLElement;
  private readonly modeButtons = new Map<Mode, HTMLButtonElement>();
  private trail: { label: string; open: () => void }[] = [];

  constructor(
    private readonly commands: Commands,
    private readonly toasts: Toasts,
  ) {
    const pane = byId("pane-library");
    this.input = h("input", {
      class: "search",
      type: "search",
      id: "library-search",
      placeholder: "Search titles, artists, albums…",
      "aria-label": "Search the library",
      autocomplete: "off",
    });
    const search = debounce(() => this.search(), 180);
    this.input.addEventListener("input", () => {
      if (this.mode !== "search") this.setMode("search", false);
      search();
    });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown") {
        e.preventDefault();
        this.list.element.focus();
      }
    });
    const seg = h("div", { class: "seg", role: "group", "aria-label": "Browse by" });
    for (const [m, label] of [
      ["search", "Search"],
      ["artists", "Artists"],
      ["albums", "Albums"],
      ["folders", "Folders"],
      ["tracks", "Tracks"],
    ] as [Mode, string][]) {
      const b = h("button", { type: "button", "aria-pressed": String(m === this.mode) }, label);
      b.addEventListener("click", () => this.setMode(m, true));
      this.modeButtons.set(m, b);
      seg.append(b);
    }
    this.crumbs = h("nav", { class: "crumbs", "aria-label": "Where you are" });
    this.list = new VirtualList<Row>({
      rowHeight: 48,
      label: "Library",
      empty: "Type to search the library",
      render: (row, item) => this.render(row, item),
      onRange: (_first, last) => {
        if (last >= this.rows.length - 40) void this.more();
      },
      onActivate: (item) => this.activate(item),
    });
    this.list.element.id = "library-list";
    pane.append(h("div", { class: "toolbar" }, this.input), h("div", { class: "toolbar" }, seg), this.crumbs, this.list.element);
  }

  focusSearch(): void {
    this.input.focus();
    this.input.select();
  }

  /** The library changed (scan finished, tracks added): the list in view is loaded again. */
  invalidate(): void {
    if (this.mode === "search" && !this.input.value.trim()) return;
    if (this.trail.length) this.trail[this.trail.length - 1].open();
  }

  private setMode(m: Mode, open: boolean): void {
    this.mode = m;
    for (const [k, b] of this.modeButtons) b.setAttribute("aria-pressed", String(k === m));
    if (!open) return;
    this.trail = [];
    switch (m) {
      case "search":
        this.search();
        break;
      case "artists":
        this.open("Artists", async (cursor) => {
          const r = await this.commands.query("library.artists", page(cursor));
          return { rows: r.reply.artists.map((artist) => ({ kind: "artist", artist }) as Row), next: r.reply.page?.nextCursor ?? "" };
        });
        break;
      case "albums":
        this.openAlbums("Albums", "");
        break;
      case "folders":
        this.openFolders();
        break;
      case "tracks":
        this.openTracks("All tracks", {});
        break;
    }
  }

  private search(): void {
    const q = this.input.value.trim();
    this.trail = [];
    if (!q) {
      this.show([], "", null, "Type to search the library");
      return;
    }
    this.open(`“${q}”`, async () => {
      const r = await this.commands.query("library.search", { q: q.slice(0, 200), limit: String(SEARCH_LIMIT) });
      return { rows: r.reply.tracks.map((track) => ({ kind: "track", track }) as Row), next: "" };
    });
  }

  private openAlbums(label: string, artistId: string): void {
    this.open(label, async (cursor) => {
      const params = page(cursor);
      if (artistId) params.artist_id = artistId;
      const r = await this.commands.query("library.albums", params);
      return { rows: r.reply.albums.map((album) => ({ kind: "album", album }) as Row), next: r.reply.page?.nextCursor ?? "" };
    });
  }

  private openTracks(label: string, filter: Record<string, string>): void {
    this.open(label, async (cursor) => {
      const r = await this.commands.query("library.tracks", { ...filter, ...page(cursor) });
      return { rows: r.reply.tracks.map((track) => ({ kind: "track", track }) as Row), next: r.reply.page?.nextCursor ?? "" };
    });
  }

  private openFolders(): void {
    this.open("Folders", async () => {
      const r = await this.commands.query("library.folders");
      return {
        rows: r.reply.folders.map((f) => ({ kind: "dir", folderId: f.id, dir: "", name: f.path }) as Row),
        next: "",
      };
    });
  }

  private openDir(folderId: string, dir: string, name: string): void {
    this.open(name, async (cursor) => {
      const rows: Row[] = [];
      if (!cursor) {
        const d = await this.commands.query("library.directory", { id: folderId, dir });
        for (const sub of d.reply.dirs) {
          const path = dir ? `${dir}/${sub}` : sub;
          rows.push({ kind: "dir", folderId, dir: path, name: sub });
        }
      }
      const params: Record<string, string> = { folder_id: folderId, dir, ...page(cursor) };
      const t = await this.commands.query("library.tracks", params);
      for (const track of t.reply.tracks) rows.push({ kind: "track", track });
      return { rows, next: t.reply.page?.nextCursor ?? "" };
    });
  }

  /** Shows a list loaded by `loader`, as the next step of the breadcrumb trail. */
  private open(label: string, loader: PageLoader): void {
    const again = () => {
      const at = this.trail.findIndex((t) => t.open === again);
      this.trail = this.trail.slice(0, at + 1);
      this.show([], "", loader, "Loading…");
      this.renderCrumbs();
      void this.more();
    };
    this.trail.push({ label, open: again });
    again();
  }

  private show(rows: Row[], next: string, loader: PageLoader | null, empty: string): void {
    this.generation++;
    this.rows = rows;
    this.next = next;
    this.loader = loader;
    this.loading = false;
    this.list.element.querySelector(".vl-empty")!.textContent = empty;
    this.list.setSource(this.source());
    this.list.element.scrollTop = 0;
    this.renderCrumbs();
  }

  private source() {
    const rows = this.rows;
    return { length: rows.length, at: (i: number) => rows[i] };
  }

  /** Loads the next page, unless one is loading or there is none; a stale answer is dropped. */
  private async more(): Promise<void> {
    if (!this.loader || this.loading || (this.rows.length > 0 && !this.next)) return;
    this.loading = true;
    const gen = this.generation;
    try {
      const r = await this.loader(this.next);
      if (gen !== this.generation) return;
      this.rows = this.rows.concat(r.rows);
      this.next = r.next;
      if (!r.next) this.loader = this.rows.length ? this.loader : null;
      this.list.element.querySelector(".vl-empty")!.textContent = "Nothing found";
      this.list.setSource(this.source());
      if (!r.next) this.loader = null;
    } catch (e) {
      if (gen === this.generation) {
        this.toasts.error("Library", describeError(e));
        this.loader = null;
      }
    } finally {
      if (gen === this.generation) this.loading = false;
    }
  }

  private renderCrumbs(): void {
    this.crumbs.replaceChildren();
    this.trail.forEach((t, i) => {
      if (i > 0) this.crumbs.append(h("span", { "aria-hidden": "true" }, "›"));
      if (i === this.trail.length - 1) this.crumbs.append(h("span", { "aria-current": "page" }, t.label));
      else {
        const b = h("button", { type: "button" }, t.label);
        b.addEventListener("click", () => t.open());
        this.crumbs.append(b);
      }
    });
  }

  private activate(row: Row): void {
    switch (row.kind) {
      case "track":
        void this.playTracks([row.track.id]);
        break;
      case "artist":
        this.openAlbums(row.artist.name || "Unknown artist", row.artist.id);
        break;
      case "album":
        this.openTracks(row.album.title || "Unknown album", { album_id: row.album.id });
        break;
      case "dir":
        this.openDir(row.folderId, row.dir, row.name);
        break;
    }
  }

  /** Appends tracks to the queue. */
  async addTracks(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const r = await this.commands.run("queue.append", { trackIds: ids });
    if (r) this.toasts.info(`Added ${ids.length} track${ids.length === 1 ? "" : "s"} to the queue`);
    return r?.reply.itemIds ?? [];
  }

  /** Appends tracks and plays the first of them. */
  async playTracks(ids: string[]): Promise<void> {
    const r = await this.commands.run("queue.append", { trackIds: ids });
    const first = r?.reply.itemIds[0];
    if (first) await this.commands.run("player.play", { itemId: first });
  }

  /** Every track id of an album, artist or directory row (up to 10,000). */
  private async trackIdsOf(row: Row): Promise<string[]> {
    const filter: Record<string, string> =
      row.kind === "album"
        ? { album_id: row.album.id }
        : row.kind === "artist"
          ? { artist_id: row.artist.id }
          : row.kind === "dir"
            ? { folder_id: row.folderId, dir: row.dir }
            : {};
    if (row.kind === "track") return [row.track.id];
    const ids: string[] = [];
    let cursor = "";
    do {
      const r = await this.commands.query("library.tracks", { ...filter, ...page(cursor) });
      for (const t of r.reply.tracks) ids.push(t.id);
      cursor = r.reply.page?.nextCursor ?? "";
    } while (cursor && ids.length < 10000);
    return ids;
  }

  private render(row: HTMLElement, item: Row | undefined): void {
    const key = item ? rowKey(item) : "";
    if (row.dataset.shown === key) return;
    row.dataset.shown = key;
    if (!item) {
      row.replaceChildren(h("div", { class: "placeholder" }));
      return;
    }
    let title = "";
    let sub = "";
    let time = "";
    switch (item.kind) {
      case "track":
        title = item.track.title || item.track.path.split("/").pop() || item.track.path;
        sub = [item.track.artist, item.track.album].filter(Boolean).join(" — ");
        time = item.track.durationMs ? fmtTime(Number(item.track.durationMs)) : "";
        break;
      case "artist":
        title = item.artist.name || "Unknown artist";
        sub = `${item.artist.albumCount} album${item.artist.albumCount === 1 ? "" : "s"} · ${item.artist.trackCount} tracks`;
        break;
      case "album":
        title = item.album.title || "Unknown album";
        sub = [item.album.artist, item.album.year ? String(item.album.year) : "", `${item.album.trackCount} tracks`].filter(Boolean).join(" · ");
        time = item.album.durationMs ? fmtTime(Number(item.album.durationMs)) : "";
        break;
      case "dir":
        title = item.name;
        sub = item.dir ? "Folder" : "Music folder";
        break;
    }
    row.setAttribute("aria-label", `${title}${sub ? ", " + sub : ""}`);
    const add = h("button", { type: "button", "aria-label": `Add ${title} to the queue`, title: "Add to queue" }, icon("add"));
    add.addEventListener("click", async (e) => {
      e.stopPropagation();
      try {
        await this.addTracks(await this.trackIdsOf(item));
      } catch (err) {
        this.toasts.error("Add failed", describeError(err));
      }
    });
    const play = h("button", { type: "button", "aria-label": `Play ${title}`, title: "Play" }, icon("play"));
    play.addEventListener("click", async (e) => {
      e.stopPropagation();
      try {
        await this.playTracks(await this.trackIdsOf(item));
      } catch (err) {
        this.toasts.error("Play failed", describeError(err));
      }
    });
    const lead =
      item.kind === "album" && item.album.artworkId
        ? thumb(item.album.artworkId)
        : h("span", { class: "r-num", "aria-hidden": "true" }, item.kind === "track" && item.track.trackNumber ? String(item.track.trackNumber) : "");
    row.replaceChildren(
      lead,
      h("div", { class: "r-main" }, h("div", { class: "r-title" }, title), h("div", { class: "r-sub" }, sub)),
      h("span", { class: "r-time" }, time),
      h("span", { class: "r-act" }, play, add),
    );
  }
}

/** An album's artwork, fetched with the token (an <img> cannot send one). */
function thumb(artworkId: string): HTMLImageElement {
  const img = h("img", { class: "thumb", alt: "" });
  void authFetch(`/api/v1/library/artwork/${encodeURIComponent(artworkId)}`)
    .then((r) => (r.ok ? r.blob() : null))
    .then((b) => {
      if (!b) return;
      const url = URL.createObjectURL(b);
      img.onload = () => URL.revokeObjectURL(url);
      img.src = url;
    })
    .catch(() => {});
  return img;
}

function page(cursor: string): Record<string, string> {
  return cursor ? { limit: String(PAGE), cursor } : { limit: String(PAGE) };
}

function rowKey(r: Row): string {
  switch (r.kind) {
    case "track":
      return "t" + r.track.id;
    case "artist":
      return "a" + r.artist.id;
    case "album":
      return "b" + r.album.id;
    case "dir":
      return "d" + r.folderId + "/" + r.dir;
  }
}
