/** One ping's measure: the round trip and the server clock's offset from the local one. */
interface Sample {
  readonly rttUs: number;
  readonly offsetUs: number;
}

/** How many recent samples the estimate keeps (and takes the fastest of). */
const WINDOW = 8;

/**
 * An estimate of the daemon's clock against this page's `performance.now()`, from ping/pong
 * round trips: for each, the offset is the server's time in the pong minus the midpoint of the
 * send and receive times (the NTP estimate, exact when both legs take as long); the estimate is
 * the offset of the sample with the shortest round trip among the last 8, whose error is at
 * most half that round trip. Analysis frames carry `presentation_us` (the server wall clock when
 * the frame is heard); {@link ClockEstimate.toLocalMs} turns it into the `performance.now()` time
 * at which to draw it.
 *
 * Updated by the event stream on its pongs; read from anywhere.
 */
export class ClockEstimate {
  private readonly samples: Sample[] = [];
  private best: Sample | undefined;

  /** The local monotonic clock in microseconds (`performance.now()` scaled). */
  static localNowUs(): number {
    return performance.now() * 1000;
  }

  /** Takes a round trip: sent and received on the local clock, the server's time in between. */
  addSample(sentUs: number, receivedUs: number, serverUs: bigint): void {
    const rttUs = Math.max(0, receivedUs - sentUs);
    const offsetUs = Number(serverUs) - (sentUs + receivedUs) / 2;
    this.samples.push({ rttUs, offsetUs });
    if (this.samples.length > WINDOW) {
      this.samples.shift();
    }
    this.best = this.samples.reduce((a, b) => (b.rttUs < a.rttUs ? b : a));
  }

  /** True once a round trip has been measured. */
  get ready(): boolean {
    return this.best !== undefined;
  }

  /** Server clock minus local clock, in microseconds; undefined before the first pong. */
  get offsetUs(): number | undefined {
    return this.best?.offsetUs;
  }

  /** The round trip of the sample the estimate uses, in milliseconds; undefined before the first. */
  get rttMs(): number | undefined {
    return this.best === undefined ? undefined : this.best.rttUs / 1000;
  }

  /** The server's wall clock now, in microseconds since the Unix epoch (estimated). */
  serverNowUs(): number {
    return ClockEstimate.localNowUs() + (this.best?.offsetUs ?? this.fallbackOffsetUs());
  }

  /**
   * The `performance.now()` time (milliseconds) at which the server time `serverUs` (e.g. a
   * frame's `presentation_us`, a position's `server_time_us`) happens here.
   */
  toLocalMs(serverUs: bigint | number): number {
    return (Number(serverUs) - (this.best?.offsetUs ?? this.fallbackOffsetUs())) / 1000;
  }

  /** Before the first pong: assume the two wall clocks agree. */
  private fallbackOffsetUs(): number {
    return (performance.timeOrigin + performance.now()) * 1000 - ClockEstimate.localNowUs();
  }
}
