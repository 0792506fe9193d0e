import { GRADIENTS } from "../visuals/gradients";
import type { SpectrumSettings } from "../visuals/settings";
import { byId, h } from "./dom";

type Field = {
  key: keyof SpectrumSettings;
  label: string;
  options: [string, string][];
  /** Shown only for these scales. */
  only?: SpectrumSettings["scale"][];
};

const FIELDS: Field[] = [
  {
    key: "scale",
    label: "Scale",
    options: [
      ["octave", "Octave bands"],
      ["log", "Logarithmic"],
      ["mel", "Mel"],
      ["bark", "Bark"],
      ["linear", "FFT bins"],
    ],
  },
  {
    key: "octaveFraction",
    label: "Bands",
    only: ["octave"],
    options: [
      ["1", "1/1 octave"],
      ["2", "1/2 octave"],
      ["3", "1/3 octave"],
      ["6", "1/6 octave"],
      ["12", "1/12 octave"],
      ["24", "1/24 octave"],
    ],
  },
  {
    key: "bandCount",
    label: "Bands",
    only: ["log", "mel", "bark"],
    options: [
      ["32", "32"],
      ["64", "64"],
      ["96", "96"],
      ["128", "128"],
      ["256", "256"],
    ],
  },
  { key: "axis", label: "Axis", only: ["linear"], options: [["log", "Logarithmic"], ["linear", "Linear"], ["mel", "Mel"], ["bark", "Bark"]] },
  { key: "weighting", label: "Weighting", options: [["none", "None (Z)"], ["A", "A"], ["C", "C"], ["468", "ITU-R 468"]] },
  { key: "size", label: "FFT", options: [["2048", "2048"], ["4096", "4096"], ["8192", "8192"], ["16384", "16384"]] },
  { key: "smoothing", label: "Smoothing", options: [["0", "Off"], ["0.5", "Some"], ["0.8", "More"]] },
  { key: "gradient", label: "Colours", options: Object.keys(GRADIENTS).map((g) => [g, g[0].toUpperCase() + g.slice(1)]) },
  { key: "peakHold", label: "Peaks", options: [["true", "Hold"], ["false", "Off"]] },
  { key: "led", label: "Bars", options: [["false", "Solid"], ["true", "LED"]] },
  { key: "mirror", label: "Mirror", options: [["false", "Off"], ["true", "On"]] },
];

/** The spectrum's settings form: every change is applied at once and saved. */
export function buildVisForm(initial: SpectrumSettings, onChange: (s: SpectrumSettings) => void): void {
  const form = byId<HTMLFormElement>("vis-form");
  let s = { ...initial };
  const rows: { field: Field; els: HTMLElement[] }[] = [];
  for (const field of FIELDS) {
    const id = `vis-${field.key}`;
    const select = h("select", { id, name: field.key });
    for (const [value, text] of field.options) select.append(h("option", { value }, text));
    select.value = String(s[field.key]);
    select.addEventListener("change", () => {
      const v = select.value;
      const cur = s[field.key];
      const parsed = typeof cur === "number" ? Number(v) : typeof cur === "boolean" ? v === "true" : v;
      s = { ...s, [field.key]: parsed };
      visibility();
      onChange(s);
    });
    const label = h("label", { for: id }, field.label);
    form.append(label, select);
    rows.push({ field, els: [label, select] });
  }
  const visibility = () => {
    for (const r of rows) {
      const hidden = !!r.field.only && !r.field.only.includes(s.scale);
      for (const el of r.els) el.hidden = hidden;
    }
  };
  visibility();
  form.addEventListener("submit", (e) => e.preventDefault());
}
