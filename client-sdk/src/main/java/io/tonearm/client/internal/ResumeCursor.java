package io.tonearm.client.internal;

import io.tonearm.client.StreamPosition;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Hello;

/**
 * Tracks the last state event delivered and sorts what arrives: snapshots, new events, duplicates
 * (already delivered, for example replayed twice around a reconnect), frames and control messages.
 *
 * <p>The rules follow the daemon's contract: after a hello with {@code recovered=false} the
 * snapshots carry the hello's seq and every later event a larger one; after {@code recovered=true}
 * the replay carries seqs above the resumed one. Anything at or below the last delivered seq of the
 * same epoch was delivered already. Confined to one thread.
 */
public final class ResumeCursor {

  /** What an incoming envelope is to the application. */
  public enum Kind {
    SNAPSHOT,
    EVENT,
    DUPLICATE,
    FRAME,
    CONTROL
  }

  private String epoch;
  private long seq;
  private long snapshotSeq = -1;
  private boolean snapshotsPending;

  /**
   * @param initial a saved position to resume from, or null
   */
  public ResumeCursor(StreamPosition initial) {
    if (initial != null) {
      epoch = initial.epoch();
      seq = initial.seq();
    }
  }

  /**
   * The {@code epoch:seq} to ask for, or null when there is nothing to resume: before the first
   * hello, and while the snapshots after a hello with {@code recovered=false} may not all be in (a
   * connection that broke among them would otherwise resume past the missing ones).
   */
  public String resumeParam() {
    return epoch == null || snapshotsPending ? null : epoch + ":" + seq;
  }

  /** True from a hello with {@code recovered=false} until {@link #snapshotsDone}. */
  public boolean snapshotsPending() {
    return snapshotsPending;
  }

  /**
   * Every snapshot of the last hello is in: the stream knows it by the answer to a request sent
   * after the hello, since the daemon writes a connection's snapshots before anything it answers.
   * An event past the hello's seq confirms them too ({@link #accept}).
   */
  public void snapshotsDone() {
    snapshotsPending = false;
  }

  /** The last delivered position, or null before the first hello. */
  public StreamPosition position() {
    return epoch == null ? null : new StreamPosition(epoch, seq);
  }

  /** Takes a connection's hello; after {@code recovered=false} the old position is void. */
  public void hello(Hello hello) {
    if (hello.getRecovered() && hello.getEpoch().equals(epoch)) {
      snapshotSeq = -1;
      snapshotsPending = false;
    } else {
      epoch = hello.getEpoch();
      seq = hello.getSeq();
      snapshotSeq = hello.getSeq();
      snapshotsPending = true;
    }
  }

  /** Classifies {@code e} and, for a new event, advances the position to its seq. */
  public Kind accept(Envelope e) {
    switch (e.getBodyCase()) {
      case HELLO, ACK, ERROR, PONG, BODY_NOT_SET -> {
        return Kind.CONTROL;
      }
      default -> {}
    }
    if (!e.getStream().isEmpty()) {
      return Kind.FRAME;
    }
    if (epoch != null && !epoch.equals(e.getEpoch())) {
      // Not of this run: can only be a stale message from a connection already replaced.
      return Kind.DUPLICATE;
    }
    if (e.getSeq() <= seq) {
      return e.getSeq() == snapshotSeq ? Kind.SNAPSHOT : Kind.DUPLICATE;
    }
    seq = e.getSeq();
    snapshotSeq = -1;
    // The daemon writes a hello's snapshots before any later event: this one confirms them.
    snapshotsPending = false;
    return Kind.EVENT;
  }
}
