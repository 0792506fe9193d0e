package io.tonearm.daemon.audio;

import java.util.concurrent.locks.LockSupport;

/**
 * A single-producer single-consumer ring of preallocated {@link PcmBlock}s between the decoder
 * thread and the output thread. Neither side locks or allocates: a side that finds the ring full
 * (or empty) parks briefly and looks again, so each can also keep an eye on its own commands.
 */
final class BlockPipe {

  private final PcmBlock[] slots;
  private volatile long head; // next slot the consumer reads
  private volatile long tail; // next slot the producer fills

  BlockPipe(int capacity) {
    slots = new PcmBlock[capacity];
    for (int i = 0; i < capacity; i++) {
      slots[i] = new PcmBlock();
    }
  }

  int capacity() {
    return slots.length;
  }

  /** The slot to fill next, or null when the ring is full; producer only. */
  PcmBlock claim() {
    long t = tail;
    return t - head >= slots.length ? null : slots[(int) (t % slots.length)];
  }

  /** Hands the claimed slot to the consumer; producer only. */
  void publish() {
    tail = tail + 1;
  }

  /** The oldest filled slot, or null when the ring is empty; consumer only. */
  PcmBlock peek() {
    long h = head;
    return h == tail ? null : slots[(int) (h % slots.length)];
  }

  /** Returns the peeked slot to the producer; consumer only. */
  void release() {
    head = head + 1;
  }

  /** Filled slots. */
  int size() {
    return (int) (tail - head);
  }

  /** Parks the calling thread for about a millisecond: the wait of either side. */
  static void pause() {
    LockSupport.parkNanos(1_000_000L);
  }

  /**
   * Parks for about 5 ms: the wait of a side with nothing urgent to do (a full pipe holds two
   * seconds; a paused output has nothing to write), so that idling costs few wake-ups.
   */
  static void idle() {
    LockSupport.parkNanos(5_000_000L);
  }
}
