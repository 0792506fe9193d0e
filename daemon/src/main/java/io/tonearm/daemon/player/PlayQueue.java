package io.tonearm.daemon.player;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The play queue in queue order, plus the play order: queue order, or a shuffled permutation of the
 * same entries when shuffle is on. Owned by the player thread; not thread-safe.
 */
final class PlayQueue {

  /** The most entries a queue may hold. */
  static final int MAX_LENGTH = 100_000;

  private final List<QueueEntry> items = new ArrayList<>();
  private final Random random;
  private List<QueueEntry> shuffled; // null when shuffle is off
  private long version;

  PlayQueue(Random random) {
    this.random = random;
  }

  List<QueueEntry> items() {
    return items;
  }

  /** Grows by one or more on every change of the entries or the play order. */
  long version() {
    return version;
  }

  int size() {
    return items.size();
  }

  int indexOf(long id) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).id == id) {
        return i;
      }
    }
    return -1;
  }

  Optional<QueueEntry> byId(long id) {
    int i = indexOf(id);
    return i < 0 ? Optional.empty() : Optional.of(items.get(i));
  }

  /**
   * Inserts at {@code index}. When shuffled, the new entries go to random places of the play order
   * after {@code current} (or anywhere when there is none), so they are still to come.
   */
  void insert(int index, List<QueueEntry> entries, QueueEntry current) {
    version++;
    items.addAll(index, entries);
    if (shuffled != null) {
      int from = current == null ? 0 : shuffled.indexOf(current) + 1;
      for (QueueEntry e : entries) {
        int at = from + random.nextInt(shuffled.size() - from + 1);
        shuffled.add(at, e);
      }
      sortByPriority(current); // new entries have priority 0: after any higher ones
    }
  }

  void move(QueueEntry entry, int to) {
    version++;
    items.remove(entry);
    items.add(to, entry);
  }

  void removeAll(Collection<QueueEntry> entries) {
    version++;
    Set<QueueEntry> set = new HashSet<>(entries);
    items.removeIf(set::contains);
    if (shuffled != null) {
      shuffled.removeIf(set::contains);
    }
  }

  void clear() {
    version++;
    items.clear();
    if (shuffled != null) {
      shuffled.clear();
    }
  }

  boolean isShuffled() {
    return shuffled != null;
  }

  /**
   * Turns shuffle on (a fresh permutation that starts with {@code current}, so the current entry
   * keeps playing) or off (back to queue order).
   */
  void setShuffle(boolean on, QueueEntry current) {
    version++;
    if (!on) {
      shuffled = null;
      return;
    }
    List<QueueEntry> order = new ArrayList<>(items);
    // Fisher-Yates.
    for (int i = order.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      QueueEntry t = order.get(i);
      order.set(i, order.get(j));
      order.set(j, t);
    }
    if (current != null && order.remove(current)) {
      order.add(0, current);
    }
    shuffled = order;
    sortByPriority(current);
  }

  /**
   * While shuffled, after priorities changed: an entry already played (before {@code current} in
   * play order) whose priority was raised above the current entry's comes back, just after it (as
   * MPD re-queues a played song whose priority rose); then {@link #sortByPriority}.
   */
  void requeue(List<QueueEntry> raised, QueueEntry current) {
    if (shuffled != null && current != null) {
      for (QueueEntry e : raised) {
        int at = shuffled.indexOf(current);
        int i = shuffled.indexOf(e);
        if (i >= 0 && i < at && e.priority > current.priority) {
          version++;
          shuffled.remove(i);
          shuffled.add(at, e); // at is now just after current
        }
      }
    }
    sortByPriority(current);
  }

  /**
   * While shuffled: puts the entries after {@code current} in play order (all of them when there is
   * none) in descending priority, keeping their shuffled order among equal priorities (a stable
   * sort), as MPD orders songs of random mode. Nothing to do in queue order.
   */
  void sortByPriority(QueueEntry current) {
    if (shuffled == null) {
      return;
    }
    int from = current == null ? 0 : shuffled.indexOf(current) + 1;
    List<QueueEntry> rest = shuffled.subList(from, shuffled.size());
    List<QueueEntry> sorted = new ArrayList<>(rest);
    sorted.sort((a, b) -> Integer.compare(b.priority, a.priority));
    if (!sorted.equals(rest)) {
      version++;
      for (int i = 0; i < sorted.size(); i++) {
        rest.set(i, sorted.get(i));
      }
    }
  }

  /** Restores a saved shuffled order; entries missing from it are appended. */
  void restoreShuffle(List<QueueEntry> order) {
    version++;
    List<QueueEntry> o = new ArrayList<>(order);
    o.retainAll(items);
    for (QueueEntry e : items) {
      if (!o.contains(e)) {
        o.add(e);
      }
    }
    shuffled = o;
  }

  /** The play order. */
  List<QueueEntry> order() {
    return shuffled != null ? shuffled : items;
  }

  /** The entry after {@code e} in play order; wraps to the first when {@code wrap}. */
  Optional<QueueEntry> after(QueueEntry e, boolean wrap) {
    List<QueueEntry> o = order();
    if (o.isEmpty()) {
      return Optional.empty();
    }
    int i = e == null ? -1 : o.indexOf(e);
    if (i < 0 && e != null) {
      return Optional.empty();
    }
    if (i + 1 < o.size()) {
      return Optional.of(o.get(i + 1));
    }
    return wrap ? Optional.of(o.get(0)) : Optional.empty();
  }

  /** The entry before {@code e} in play order; wraps to the last when {@code wrap}. */
  Optional<QueueEntry> before(QueueEntry e, boolean wrap) {
    List<QueueEntry> o = order();
    int i = o.indexOf(e);
    if (i > 0) {
      return Optional.of(o.get(i - 1));
    }
    return wrap && i == 0 ? Optional.of(o.get(o.size() - 1)) : Optional.empty();
  }

  /** The first entry in play order. */
  Optional<QueueEntry> first() {
    List<QueueEntry> o = order();
    return o.isEmpty() ? Optional.empty() : Optional.of(o.get(0));
  }

  /** A copy of the entries in queue order. */
  List<QueueEntry> snapshot() {
    return new ArrayList<>(items);
  }
}
