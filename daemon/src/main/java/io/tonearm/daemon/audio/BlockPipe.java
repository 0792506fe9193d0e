package io.tonearm.daemon.audio;

import java.util.concurrent.locks.LockSupport;

/**
 * A single-producer single-consumer ring of {@link PcmBlock}s between the decoder thread and the
 * output thread. Neither side locks; a slot's block is made the first time the producer fills it
 * (so a player that never plays, an idle zone, holds no audio buffers), then reused.
 *
 * <p>Waiting costs wake-ups, and on a playing daemon wake-ups cost more CPU than decoding a FLAC,
 * so both sides sleep until there is real work: the producer, finding the ring full, sleeps until
 * the consumer has emptied half of it (then refills it in one burst, about once a second); the
 * consumer, finding it empty, sleeps until the producer publishes. Each side announces that it
 * sleeps in a volatile flag and looks at the ring once more before parking, and the other side
 * unparks it only when the flag is up, so no wake-up is lost and none is spent when nobody sleeps.
 */
final class BlockPipe {

  private final PcmBlock[] slots;
  private volatile long head; // next slot the consumer reads
  private volatile long tail; // next slot the producer fills
  private volatile Thread producer;
  private volatile Thread consumer;
  private volatile boolean producerWaiting;
  private volatile boolean consumerWaiting;

  BlockPipe(int capacity) {
    slots = new PcmBlock[capacity];
  }

  int capacity() {
    return slots.length;
  }

  /** The slot to fill next, or null when the ring is full; producer only. */
  PcmBlock claim() {
    long t = tail;
    if (t - head >= slots.length) {
      return null;
    }
    int i = (int) (t % slots.length);
    PcmBlock b = slots[i];
    if (b == null) {
      b = new PcmBlock(); // once per slot; the consumer sees it after publish's volatile write
      slots[i] = b;
    }
    return b;
  }

  /**
   * Forgets every slot's block so that the heap can take them back (a stopped player's); they are
   * made again as slots are filled. Producer only, and only with the ring empty: the consumer then
   * touches no slot until the producer publishes one.
   */
  void dropBlocks() {
    if (head != tail) {
      throw new IllegalStateException("blocks are dropped only from an empty ring");
    }
    java.util.Arrays.fill(slots, null);
  }

  /** Blocks made and kept by the slots now (for tests and /metrics). */
  int blocksHeld() {
    int n = 0;
    for (PcmBlock b : slots) {
      if (b != null) {
        n++;
      }
    }
    return n;
  }

  /** Hands the claimed slot to the consumer; producer only. */
  void publish() {
    tail = tail + 1;
    if (consumerWaiting) {
      LockSupport.unpark(consumer);
    }
  }

  /** The oldest filled slot, or null when the ring is empty; consumer only. */
  PcmBlock peek() {
    long h = head;
    return h == tail ? null : slots[(int) (h % slots.length)];
  }

  /** Returns the peeked slot to the producer; consumer only. */
  void release() {
    head = head + 1;
    if (producerWaiting && size() <= slots.length / 2) {
      LockSupport.unpark(producer);
    }
  }

  /** Filled slots. */
  int size() {
    return (int) (tail - head);
  }

  /**
   * Producer: sleeps until at most half the ring is filled, {@link #wakeProducer} is called, or
   * {@code maxNanos} pass.
   */
  void awaitRoom(long maxNanos) {
    producerWaiting = true;
    if (size() > slots.length / 2) {
      LockSupport.parkNanos(this, maxNanos);
    }
    producerWaiting = false;
  }

  /**
   * Consumer: sleeps until a block is published, {@link #wakeConsumer} is called, or {@code
   * maxNanos} pass.
   */
  void awaitData(long maxNanos) {
    consumerWaiting = true;
    if (head == tail) {
      LockSupport.parkNanos(this, maxNanos);
    }
    consumerWaiting = false;
  }

  /** Names the calling thread as the producer, before it first waits; producer only. */
  void bindProducer() {
    producer = Thread.currentThread();
  }

  /** Names the calling thread as the consumer, before it first waits; consumer only. */
  void bindConsumer() {
    consumer = Thread.currentThread();
  }

  /** Ends the producer's sleep, e.g. because it has mail; any thread. */
  void wakeProducer() {
    Thread t = producer;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** Ends the consumer's sleep, e.g. because it has mail; any thread. */
  void wakeConsumer() {
    Thread t = consumer;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }
}
