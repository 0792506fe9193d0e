package io.tonearm.client;

import java.util.Objects;

/**
 * Where an event stream stands: the daemon run ({@code epoch}) and the seq of the last state event
 * the application has. A seq means nothing outside its epoch. Immutable.
 *
 * @param epoch the daemon run's random id; never null or empty
 * @param seq the last state-lane seq delivered, 0 or more
 */
public record StreamPosition(String epoch, long seq) {

  public StreamPosition {
    Objects.requireNonNull(epoch, "epoch");
    if (epoch.isEmpty() || epoch.indexOf(':') >= 0) {
      throw new IllegalArgumentException("epoch must be non-empty and contain no ':'");
    }
    if (seq < 0) {
      throw new IllegalArgumentException("seq must not be negative: " + seq);
    }
  }

  /** The {@code resume} parameter the daemon takes: {@code epoch:seq}. */
  public String toResumeParam() {
    return epoch + ":" + seq;
  }
}
