import { JobState } from "@tonearm/client";
import type { Job } from "@tonearm/client";
import type { Commands } from "./commands";
import { byId, fmtTime, h } from "./dom";

const STATE: Record<number, string> = {
  [JobState.QUEUED]: "queued",
  [JobState.RUNNING]: "running",
  [JobState.COMPLETED]: "completed",
  [JobState.FAILED]: "failed",
  [JobState.CANCELLED]: "cancelled",
};

/** Jobs (scans, analyses) from the mirror, newest first, with progress bars, rate, ETA and cancel. */
export class JobsPane {
  private readonly listEl = h("div", { class: "cards", role: "list", "aria-label": "Jobs" });

  constructor(private readonly commands: Commands) {
    byId("pane-jobs").append(this.listEl);
  }

  setJobs(jobs: ReadonlyMap<string, Job>): void {
    const all = [...jobs.values()].reverse().slice(0, 50);
    const running = all.filter((j) => j.state === JobState.RUNNING || j.state === JobState.QUEUED).length;
    byId("jobs-count").textContent = running ? String(running) : "";
    if (all.length === 0) {
      this.listEl.replaceChildren(h("div", { class: "vl-empty", style: "position:static" }, "No jobs"));
      return;
    }
    this.listEl.replaceChildren(
      ...all.map((j) => {
        const state = STATE[j.state] ?? "unknown";
        const total = Number(j.total);
        const done = Number(j.done);
        const bar = h("progress", { max: total > 0 ? total : 1, "aria-label": `${j.title || j.kind} progress` });
        if (total > 0) bar.value = done;
        else if (j.state !== JobState.RUNNING) bar.value = 1;
        else bar.removeAttribute("value");
        const live = j.state === JobState.RUNNING || j.state === JobState.QUEUED;
        const cancel = live ? h("button", { class: "btn", type: "button", "aria-label": `Cancel ${j.title || j.kind}` }, "Cancel") : null;
        cancel?.addEventListener("click", () => void this.commands.run("jobs.cancel", undefined, { id: j.id }));
        const facts = [
          total > 0 ? `${done.toLocaleString()} / ${total.toLocaleString()}` : done ? done.toLocaleString() : "",
          j.ratePerS > 0 ? `${j.ratePerS.toFixed(1)}/s` : "",
          live && j.etaMs > 0n ? `${fmtTime(Number(j.etaMs))} left` : "",
          j.errorCount > 0n ? `${j.errorCount} errors` : "",
          j.failure,
        ].filter(Boolean);
        return h(
          "div",
          { class: "card", role: "listitem", style: "flex-direction:column;align-items:stretch;gap:6px" },
          h("div", { style: "display:flex;gap:8px;align-items:center" }, h("div", { class: "grow name" }, j.title || j.kind), h("span", { class: `job-state ${state}` }, state), cancel),
          bar,
          h("div", { class: "desc" }, facts.join(" · ") + (j.currentItem && live ? ` — ${j.currentItem}` : "")),
        );
      }),
    );
  }
}
