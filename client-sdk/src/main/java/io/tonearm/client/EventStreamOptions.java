package io.tonearm.client;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an {@link EventStream} subscribes to: state topics (for example {@code "player"}, {@code
 * "queue"}), frame views, and optionally a saved position to resume from. Immutable; made with
 * {@link #builder()}.
 */
public final class EventStreamOptions {

  private final Set<String> stateTopics;
  private final List<FrameViewRequest> frameViews;
  private final StreamPosition resumeFrom;

  private EventStreamOptions(Builder b) {
    this.stateTopics = Set.copyOf(new LinkedHashSet<>(b.stateTopics));
    this.frameViews = List.copyOf(b.frameViews);
    this.resumeFrom = b.resumeFrom;
    if (stateTopics.isEmpty() && frameViews.isEmpty()) {
      throw new IllegalStateException("subscribe to at least one topic or frame view");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** State topic names, in no particular order. */
  public Set<String> stateTopics() {
    return stateTopics;
  }

  /** Frame views, in the order they were added. */
  public List<FrameViewRequest> frameViews() {
    return frameViews;
  }

  /** The position to resume from on the first connection, if the application saved one. */
  public Optional<StreamPosition> resumeFrom() {
    return Optional.ofNullable(resumeFrom);
  }

  /** A builder holding these options, to derive variants. */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.stateTopics.addAll(stateTopics);
    b.frameViews.addAll(frameViews);
    b.resumeFrom = resumeFrom;
    return b;
  }

  /** Builds {@link EventStreamOptions}. Not thread-safe. */
  public static final class Builder {
    private final Set<String> stateTopics = new LinkedHashSet<>();
    private final List<FrameViewRequest> frameViews = new ArrayList<>();
    private StreamPosition resumeFrom;

    private Builder() {}

    /** Adds state topics by wire name ({@code "player"}, {@code "queue"}). */
    public Builder topics(String... names) {
      for (String n : names) {
        Objects.requireNonNull(n, "topic");
        if (n.isBlank() || n.contains(",")) {
          throw new IllegalArgumentException("bad topic name: '" + n + "'");
        }
        stateTopics.add(n);
      }
      return this;
    }

    /** Adds a frame view: {@code topic} at {@code fps} (0 for the topic's default). */
    public Builder frames(String topic, int fps) {
      frameViews.add(new FrameViewRequest(topic, fps));
      return this;
    }

    /** Adds frame views with their options (see {@link FrameViewRequest#spectrum} and others). */
    public Builder views(FrameViewRequest... views) {
      for (FrameViewRequest v : views) {
        frameViews.add(java.util.Objects.requireNonNull(v, "view"));
      }
      return this;
    }

    /** Resumes from a saved position on the first connection; null for a snapshot. */
    public Builder resumeFrom(StreamPosition position) {
      this.resumeFrom = position;
      return this;
    }

    /**
     * @throws IllegalStateException when nothing is subscribed
     */
    public EventStreamOptions build() {
      return new EventStreamOptions(this);
    }
  }
}
