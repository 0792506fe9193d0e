import type { OutputsState } from "@tonearm/client";
import type { Commands } from "./commands";
import { byId, h } from "./dom";

/** Outputs from the mirror: each with its description and state, switched on and off here. */
export class OutputsPane {
  private readonly listEl = h("div", { class: "cards", role: "list", "aria-label": "Outputs" });

  constructor(private readonly commands: Commands) {
    byId("pane-outputs").append(this.listEl);
  }

  setOutputs(s: OutputsState): void {
    this.listEl.replaceChildren(
      ...s.outputs.map((o) => {
        const sw = h("input", { type: "checkbox", class: "switch", role: "switch", "aria-label": `Output ${o.outputId}` });
        sw.checked = o.enabled;
        sw.addEventListener("change", () => {
          void this.commands.run(sw.checked ? "outputs.enable" : "outputs.disable", undefined, { id: o.outputId });
        });
        return h(
          "div",
          { class: "card", role: "listitem" },
          h(
            "div",
            { class: "grow" },
            h("div", { class: "name" }, o.outputId, o.clock ? h("span", { class: "tag" }, "clock") : null, o.open ? h("span", { class: "tag" }, "open") : null),
            h("div", { class: "desc" }, o.description),
            o.error ? h("div", { class: "desc", style: "color:var(--bad)" }, o.error) : null,
          ),
          sw,
        );
      }),
    );
  }
}
