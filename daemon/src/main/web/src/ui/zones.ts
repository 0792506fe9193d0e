import { authFetch } from "./access";
import type { Toasts } from "./toast";

/** The zone this page follows: `?zone=ID` in its address, else the daemon's choice (`default`, or the token's one zone). */
export function pageZone(): string | undefined {
  const z = new URLSearchParams(location.search).get("zone");
  return z || undefined;
}

interface ZoneJson {
  readonly id: string;
  readonly name: string;
}

/**
 * Fills the zone picker with the zones this page's token may use (GET /api/v1/zones) and marks
 * `current`; choosing another opens the page on it. Hidden while there is only one zone.
 */
export async function wireZonePicker(select: HTMLSelectElement, current: string): Promise<void> {
  let zones: readonly ZoneJson[];
  try {
    const r = await authFetch("/api/v1/zones");
    if (!r.ok) return;
    zones = ((await r.json()) as { zones?: ZoneJson[] }).zones ?? [];
  } catch {
    return;
  }
  select.replaceChildren(
    ...zones.map((z) => new Option(z.name === z.id ? z.id : `${z.name} (${z.id})`, z.id, false, z.id === current)),
  );
  select.hidden = zones.length < 2;
  select.onchange = () => {
    const u = new URL(location.href);
    u.searchParams.set("zone", select.value);
    location.assign(u.toString());
  };
}

/** The page's zone was removed (close 4004): say so and open the page on the daemon's default choice. */
export function zoneRemoved(toasts: Toasts): void {
  toasts.error("This zone was removed", "Opening the default zone.");
  const u = new URL(location.href);
  u.searchParams.delete("zone");
  setTimeout(() => location.assign(u.toString()), 1500);
}
