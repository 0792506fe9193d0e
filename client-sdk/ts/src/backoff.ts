/**
 * Exponential backoff with "full jitter": attempt `n` (from 0) waits a uniformly random time in
 * `[0, min(max, base * 2^n)]` milliseconds. Full jitter spreads a crowd of clients that lost the
 * same daemon over the whole window instead of bunching them at its edge (M. Brooker,
 * "Exponential Backoff And Jitter", AWS Architecture Blog, 2015). The Java SDK's `Backoff` does
 * the same.
 */
export class Backoff {
  /**
   * @param baseMs the cap of the first attempt, at least 1
   * @param maxMs the largest cap, at least `baseMs`
   * @param random a uniform value in [0, 1), `Math.random` by default (tests pass their own)
   */
  constructor(
    readonly baseMs: number,
    readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {
    if (!(baseMs >= 1) || !(maxMs >= baseMs)) {
      throw new RangeError(`need 1 <= base <= max, got base ${baseMs}, max ${maxMs}`);
    }
  }

  /** The cap of attempt `n`: `min(max, base * 2^n)`. */
  ceilingMs(attempt: number): number {
    const n = Math.min(Math.max(Math.floor(attempt), 0), 60);
    return Math.min(this.maxMs, this.baseMs * 2 ** n);
  }

  /** The delay before attempt `n`, in whole milliseconds within [0, ceiling]. */
  delayMs(attempt: number): number {
    const ceiling = this.ceilingMs(attempt);
    const d = Math.floor(this.random() * (ceiling + 1));
    return Math.max(0, Math.min(ceiling, d));
  }
}
