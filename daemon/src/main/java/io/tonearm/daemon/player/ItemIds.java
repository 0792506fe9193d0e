package io.tonearm.daemon.player;

import java.util.function.LongConsumer;

/**
 * Hands out queue item ids that are never reused within a data dir, even across a crash: ids are
 * reserved in blocks, and a block's end is saved (synchronously) before any id from it is given.
 * Player thread only.
 */
final class ItemIds {

  static final long BLOCK = 1024;

  private final LongConsumer saveCeiling;
  private long next;
  private long ceiling;

  /**
   * @param first the first id to give (the saved ceiling of the last run, or 1)
   * @param saveCeiling persists a new ceiling durably before it is used
   */
  ItemIds(long first, LongConsumer saveCeiling) {
    this.next = first;
    this.ceiling = first;
    this.saveCeiling = saveCeiling;
  }

  long next() {
    if (next >= ceiling) {
      ceiling = next + BLOCK;
      saveCeiling.accept(ceiling);
    }
    return next++;
  }

  /** The first id no run may give again: what a restart starts from. */
  long ceiling() {
    return ceiling;
  }
}
