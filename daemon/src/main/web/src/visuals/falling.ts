/**
 * Levels on screen that fall to a floor when no frame comes: the daemon sends no frames while
 * nothing is audible (paused, stopped, between a seek and the first sample after it), and the page
 * then lets the picture fall to silence instead of freezing its last frame.
 */
export class FallingLevels {
  values = new Float32Array(0);

  constructor(
    readonly floor: number,
    readonly fallPerSecond: number,
  ) {}

  /** Shows a frame's values as they are. */
  set(src: ArrayLike<number>): void {
    if (this.values.length !== src.length) this.values = new Float32Array(src.length);
    const v = this.values;
    for (let i = 0; i < src.length; i++) {
      const x = src[i];
      v[i] = x > this.floor ? x : this.floor;
    }
  }

  /** Lets every value fall for `dtMs`; returns true while any is still above the floor. */
  fall(dtMs: number): boolean {
    const step = (this.fallPerSecond * dtMs) / 1000;
    const v = this.values;
    let live = false;
    for (let i = 0; i < v.length; i++) {
      const x = v[i] - step;
      v[i] = x > this.floor ? x : this.floor;
      if (x > this.floor) live = true;
    }
    return live;
  }

  /** True while any value is above the floor. */
  live(): boolean {
    const v = this.values;
    for (let i = 0; i < v.length; i++) if (v[i] > this.floor) return true;
    return false;
  }

  reset(): void {
    this.values.fill(this.floor);
  }
}
