/**
 * Holds frames until the moment their audio is heard. The daemon stamps every analysis frame with
 * `presentation_us` (server wall clock, microseconds); the page draws a frame on the first
 * animation frame at or after that time, converted to this machine's clock with the estimated
 * offset. Frames that arrive late are shown at once; frames overtaken by a newer due frame are
 * skipped. Bounded: at most `capacity` frames wait (the oldest go first).
 */
export class FrameTimeline<T> {
  private readonly frames: { at: number; frame: T }[] = [];
  private lastTakenAt = -Infinity;
  /** Local time (ms, performance.now() base) when the last frame was handed out. */
  lastShownLocalMs = -Infinity;

  constructor(private readonly capacity = 64) {}

  /** Queues a frame heard at `presentationUs` on the server clock. */
  push(frame: T, presentationUs: number): void {
    if (presentationUs <= this.lastTakenAt) {
      return; // older than what is already on screen
    }
    const f = this.frames;
    // frames of one stream arrive in order; keep the queue sorted when they do not
    let i = f.length;
    while (i > 0 && f[i - 1].at > presentationUs) i--;
    f.splice(i, 0, { at: presentationUs, frame });
    if (f.length > this.capacity) f.shift();
  }

  /**
   * The newest frame due at `serverNowUs`, or null when none became due since the last call.
   *
   * @param localMs the animation frame's time (performance.now() base), remembered as
   *     {@link lastShownLocalMs} when a frame is returned
   */
  take(serverNowUs: number, localMs: number): T | null {
    const f = this.frames;
    let n = 0;
    while (n < f.length && f[n].at <= serverNowUs) n++;
    if (n === 0) return null;
    const due = f[n - 1];
    f.splice(0, n);
    this.lastTakenAt = due.at;
    this.lastShownLocalMs = localMs;
    return due.frame;
  }

  /** Drops every waiting frame (a seek, a pause, a new stream). */
  clear(): void {
    this.frames.length = 0;
    this.lastTakenAt = -Infinity;
  }

  /** Frames waiting. */
  get size(): number {
    return this.frames.length;
  }
}
