package io.tonearm.daemon.player;

import io.tonearm.daemon.errors.DomainException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many players may hold audio at once, over all zones. A player holds a slot while it is active
 * (loading, playing or paused): that is when it keeps its decoded audio (the pipe's 100 blocks, the
 * analysis ring; about 10 MB). A stopped player gives its slot back and drops those buffers, so the
 * heap the daemon needs for audio is bounded by the slots, not by the zones.
 *
 * <p>Thread-safe: each player takes and gives from its own thread.
 */
public final class PlaySlots {

  /**
   * The daemon's default: 8 active players fit the README's {@code -Xmx256m} with room to spare.
   */
  public static final int DEFAULT_MAX = 8;

  private final int max;
  private final AtomicInteger taken = new AtomicInteger();

  /**
   * @param max players that may be active at once, at least 1
   */
  public PlaySlots(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1");
    }
    this.max = max;
  }

  /**
   * Takes a slot.
   *
   * @throws DomainException 409 {@code too_many_playing_zones} when all are taken (nothing taken)
   */
  void take() {
    for (int t = taken.get(); ; t = taken.get()) {
      if (t >= max) {
        throw new DomainException(
            DomainException.Kind.CONFLICT,
            "too_many_playing_zones",
            "at most "
                + max
                + " zones may be playing or paused at once; stop one first (GET /health shows"
                + " zones.playing)",
            Map.of("max", Integer.toString(max)));
      }
      if (taken.compareAndSet(t, t + 1)) {
        return;
      }
    }
  }

  /** Gives back a slot taken with {@link #take}. */
  void give() {
    taken.decrementAndGet();
  }

  /** Slots taken now: the players loading, playing or paused. */
  public int taken() {
    return taken.get();
  }

  /** Players that may be active at once. */
  public int max() {
    return max;
  }

  /** For /health: {@code taken} and {@code max}. */
  public Map<String, Integer> health() {
    return Map.of("count", taken(), "max", max);
  }
}
