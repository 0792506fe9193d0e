import type { Position } from "./gen/tonearm/v1/player_pb.js";
import type { ClockEstimate } from "./clock.js";

/**
 * Where playback is at server time `serverNowUs` (microseconds since the Unix epoch), from a
 * position model (`PlayerState.position`, `TransportFrame.position`): `position_us` is heard at
 * `server_time_us` and advances at `rate`. In microseconds of the item, never below 0 and, when
 * `durationMs` is given, never past it.
 */
export function positionAtUs(p: Position | undefined, serverNowUs: number, durationMs = 0n): number {
  if (!p) {
    return 0;
  }
  const us = Number(p.positionUs) + (serverNowUs - Number(p.serverTimeUs)) * p.rate;
  const end = Number(durationMs) * 1000;
  return Math.max(0, end > 0 ? Math.min(us, end) : us);
}

/** {@link positionAtUs} now, by a stream's clock estimate, in milliseconds. */
export function positionNowMs(p: Position | undefined, clock: ClockEstimate, durationMs = 0n): number {
  return positionAtUs(p, clock.serverNowUs(), durationMs) / 1000;
}
