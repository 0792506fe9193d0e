package io.tonearm.daemon.player;

import io.tonearm.daemon.events.StateLane;
import io.tonearm.daemon.events.Topic;
import io.tonearm.proto.v1.Envelope;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Captures published events in order, with seqs 1, 2, 3... */
final class FakeStateLane implements StateLane {

  /** One published event. */
  record Published(long seq, Topic topic, Envelope event, Envelope snapshot) {}

  private final List<Published> events = new ArrayList<>();
  private final List<Long> publishedHolding = new ArrayList<>();
  private int holding; // depth of holdingWakes calls running

  @Override
  public Runnable holdingWakes(Runnable task) {
    return () -> {
      synchronized (this) {
        holding++;
      }
      try {
        task.run();
      } finally {
        synchronized (this) {
          holding--;
        }
      }
    };
  }

  /** True while a task runs inside {@link #holdingWakes}. */
  synchronized boolean holding() {
    return holding > 0;
  }

  /** Seqs of the events published inside {@link #holdingWakes}. */
  synchronized List<Long> publishedHolding() {
    return new ArrayList<>(publishedHolding);
  }

  @Override
  public synchronized long publish(Topic topic, Envelope.Builder event, Envelope.Builder snapshot) {
    long seq = events.size() + 1;
    events.add(new Published(seq, topic, event.setSeq(seq).build(), snapshot.build()));
    if (holding > 0) {
      publishedHolding.add(seq);
    }
    notifyAll();
    return seq;
  }

  @Override
  public synchronized long currentSeq() {
    return events.size();
  }

  @Override
  public synchronized long newestSeq(Topic topic) {
    for (int i = events.size() - 1; i >= 0; i--) {
      if (events.get(i).topic() == topic) {
        return events.get(i).seq();
      }
    }
    return 0;
  }

  synchronized List<Published> events() {
    return new ArrayList<>(events);
  }

  synchronized List<Published> since(long seq) {
    return new ArrayList<>(events.subList((int) seq, events.size()));
  }

  /** Waits (up to 10 s) for an event after {@code afterSeq} that matches. */
  synchronized Published await(long afterSeq, Predicate<Published> p) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      for (int i = (int) afterSeq; i < events.size(); i++) {
        if (p.test(events.get(i))) {
          return events.get(i);
        }
      }
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        throw new AssertionError("no matching event after seq " + afterSeq + ": " + events);
      }
      wait(left);
    }
  }
}
