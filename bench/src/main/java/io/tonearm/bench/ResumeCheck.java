package io.tonearm.bench;

/**
 * Checks the events of a resumed stream against the guarantee: every event of its topics after the
 * resume point, once, in order. With {@code count} -1 the stream's topics are every state topic, so
 * the daemon's seqs (one counter over all topics) arrive without a gap. With the bench-only
 * publisher the stream follows the player's topic alone, and the daemon's other subsystems may
 * publish on other topics in between (a start-up scan's library and job events): seqs then rise
 * with gaps, and the check is that exactly {@code count} events (the bench's: nothing else changes
 * the bench daemon's player) arrive, in rising order, the last one at {@code last}. One thread.
 */
final class ResumeCheck {
  private final long last;
  private final long count;
  private long expected;
  private long received;
  private String error;

  ResumeCheck(long first, long last, long count) {
    this.expected = first;
    this.last = last;
    this.count = count;
  }

  /** Takes the next event's seq; true when it is the last one. */
  boolean event(long seq) {
    received++;
    if (error == null) {
      if (count < 0 ? seq != expected : seq < expected) {
        error = "expected seq " + (count < 0 ? "" : "at least ") + expected + ", got " + seq;
      } else if (seq == last && count >= 0 && received != count) {
        error = count + " events expected up to seq " + last + ", got " + received;
      }
    }
    expected = seq + 1;
    return seq == last;
  }

  /** The first departure from the guarantee, or null. */
  String error() {
    return error;
  }
}
