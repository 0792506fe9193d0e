package io.tonearm.daemon.analysis;

import io.tonearm.proto.v1.FrameView;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/**
 * Per-view state of a frame source, made on a view's first frame and forgotten once the view has
 * not been rendered for {@value #FORGET_MICROS} microseconds (nobody watches it any more), so that
 * state stays bounded by the views in use. Ticker thread only.
 */
final class ViewCache<T> {

  static final long FORGET_MICROS = 10_000_000;

  private final Map<FrameView, Entry<T>> entries = new HashMap<>();

  /** The state of {@code view}, made by {@code factory} when absent. */
  T get(FrameView view, long nowMicros, Function<FrameView, T> factory) {
    Entry<T> e = entries.get(view);
    if (e == null) {
      for (Iterator<Entry<T>> it = entries.values().iterator(); it.hasNext(); ) {
        if (nowMicros - it.next().lastUsed > FORGET_MICROS) {
          it.remove();
        }
      }
      e = new Entry<>(factory.apply(view));
      entries.put(view, e);
    }
    e.lastUsed = nowMicros;
    return e.value;
  }

  /** Replaces the state of {@code view} (after a sample-rate change, for example). */
  void put(FrameView view, long nowMicros, T value) {
    Entry<T> e = new Entry<>(value);
    e.lastUsed = nowMicros;
    entries.put(view, e);
  }

  int size() {
    return entries.size();
  }

  private static final class Entry<T> {
    final T value;
    long lastUsed;

    Entry(T value) {
      this.value = value;
    }
  }
}
