package io.tonearm.daemon.library;

import io.tonearm.daemon.events.StateLane;
import io.tonearm.daemon.events.Topic;
import io.tonearm.proto.v1.Envelope;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A state lane that keeps every published event, for tests. */
public final class RecordingLane implements StateLane {
  private final List<Envelope> events = new ArrayList<>();
  private final Map<Topic, Long> newest = new EnumMap<>(Topic.class);
  private long seq;

  @Override
  public synchronized long publish(Topic topic, Envelope.Builder event, Envelope.Builder snapshot) {
    if (snapshot == null && topic != Topic.COMMANDS) {
      throw new AssertionError("only topic commands publishes without a snapshot");
    }
    if (snapshot != null) {
      snapshot.build();
    }
    events.add(event.setSeq(++seq).build());
    newest.put(topic, seq);
    return seq;
  }

  @Override
  public synchronized long currentSeq() {
    return seq;
  }

  @Override
  public synchronized long newestSeq(Topic topic) {
    return newest.getOrDefault(topic, 0L);
  }

  public synchronized List<Envelope> events() {
    return List.copyOf(events);
  }

  public synchronized List<Envelope> matching(Predicate<Envelope> p) {
    return events.stream().filter(p).toList();
  }
}
