package io.tonearm.daemon.events;

import java.util.function.Supplier;

/**
 * A value per thread, as a {@link ThreadLocal}, with the value of the last few threads that asked
 * kept in a small table by thread id. Under C1, the README's only JIT, every {@code ThreadLocal}
 * lookup checks its entry's weak key with a native call; the state lane asks on every command and
 * every event it prints. A thread whose slot another thread took meanwhile asks the {@code
 * ThreadLocal} again and takes the slot back.
 *
 * <p>Thread-safe: an entry is immutable and names its thread, and a thread uses only an entry that
 * names it (a racy read sees a whole entry, by its final fields). The table holds at most {@value
 * #SLOTS} threads' values after those threads end.
 */
final class PerThread<T> {

  private static final int SLOTS = 16;

  private record Entry<T>(Thread thread, T value) {}

  private final ThreadLocal<T> local;

  @SuppressWarnings("unchecked") // an array of the one entry type
  private final Entry<T>[] recent = (Entry<T>[]) new Entry<?>[SLOTS];

  PerThread(Supplier<? extends T> initial) {
    this.local = ThreadLocal.withInitial(initial);
  }

  /** This thread's value, made by the supplier on its first call. */
  T get() {
    Thread t = Thread.currentThread();
    int slot = (int) t.getId() & (SLOTS - 1);
    Entry<T> e = recent[slot];
    if (e != null && e.thread == t) {
      return e.value;
    }
    T v = local.get();
    recent[slot] = new Entry<>(t, v);
    return v;
  }
}
