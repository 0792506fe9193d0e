import { byId } from "./dom";
import type { LibraryPane } from "./library-pane";
import type { NowPlaying } from "./now-playing";

/** Tabs with the ARIA tabs pattern: click, or Left/Right/Home/End on the tab list. */
export function wireTabs(): void {
  const tabs = [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const select = (tab: HTMLButtonElement, focus: boolean) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      byId(t.getAttribute("aria-controls")!).hidden = !on;
    }
    if (focus) tab.focus();
  };
  tabs.forEach((t, i) => {
    t.addEventListener("click", () => select(t, false));
    t.addEventListener("keydown", (e) => {
      const to =
        e.key === "ArrowRight" ? (i + 1) % tabs.length : e.key === "ArrowLeft" ? (i - 1 + tabs.length) % tabs.length : e.key === "Home" ? 0 : e.key === "End" ? tabs.length - 1 : -1;
      if (to >= 0) {
        e.preventDefault();
        select(tabs[to], true);
      }
    });
  });
}

/** Opens a tab by its id (keyboard shortcut, search). */
export function openTab(id: string): void {
  byId(id).click();
}

let full = false;

/** The full-screen visualizer: the stage alone, in the browser's full screen when it allows it. */
export function toggleFullScreen(on = !full): void {
  full = on;
  document.body.classList.toggle("vis-full", on);
  if (on) document.documentElement.requestFullscreen?.().catch(() => {});
  else if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
}

export function wireFullScreen(): void {
  byId("full").addEventListener("click", () => toggleFullScreen(true));
  byId("exit-full").addEventListener("click", () => toggleFullScreen(false));
  document.addEventListener("fullscreenchange", () => {
    if (!document.fullscreenElement && full) toggleFullScreen(false);
  });
}

/** Global shortcuts; keys typed into a field stay there. */
export function wireKeys(ui: { now: NowPlaying; library: LibraryPane }): void {
  document.addEventListener("keydown", (e) => {
    const t = e.target as HTMLElement;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t.closest("input, select, textarea, dialog, [role=listbox], [role=slider]")) {
      if (e.key === "Escape" && t instanceof HTMLInputElement) t.blur();
      return;
    }
    switch (e.key) {
      case " ":
      case "k":
        ui.now.toggle();
        break;
      case "n":
      case "N":
        byId("next").click();
        break;
      case "p":
      case "P":
        byId("prev").click();
        break;
      case "ArrowRight":
        ui.now.seekBy(5000);
        break;
      case "ArrowLeft":
        ui.now.seekBy(-5000);
        break;
      case "ArrowUp":
        ui.now.nudgeVolume(5);
        break;
      case "ArrowDown":
        ui.now.nudgeVolume(-5);
        break;
      case "m":
      case "M":
        ui.now.toggleMute();
        break;
      case "s":
      case "S":
        byId("shuffle").click();
        break;
      case "r":
      case "R":
        ui.now.cycleRepeat();
        break;
      case "f":
      case "F":
        toggleFullScreen();
        break;
      case "Escape":
        if (full) toggleFullScreen(false);
        else return;
        break;
      case "/":
        openTab("tab-library");
        ui.library.focusSearch();
        break;
      case "?":
        byId<HTMLDialogElement>("keys").showModal();
        break;
      default:
        return;
    }
    e.preventDefault();
  });
}
