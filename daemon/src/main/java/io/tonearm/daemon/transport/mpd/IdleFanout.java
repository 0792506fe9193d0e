package io.tonearm.daemon.transport.mpd;

import io.netty.util.concurrent.EventExecutor;
import io.tonearm.daemon.mpd.IdleBus;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells every MPD connection of changed subsystems with one task per event loop (not one per
 * connection), so a change wakes each I/O thread once however many clients wait in {@code idle}.
 * Thread-safe; {@link #changed} is called with the hub's lock held and only schedules.
 */
final class IdleFanout implements IdleBus.Subscriber {

  private final Map<EventExecutor, Set<MpdHandler>> byLoop = new ConcurrentHashMap<>();

  void add(EventExecutor loop, MpdHandler h) {
    byLoop.computeIfAbsent(loop, l -> ConcurrentHashMap.newKeySet()).add(h);
  }

  void remove(EventExecutor loop, MpdHandler h) {
    Set<MpdHandler> s = byLoop.get(loop);
    if (s != null) {
      s.remove(h);
    }
  }

  @Override
  public void changed(int mask) {
    for (Map.Entry<EventExecutor, Set<MpdHandler>> e : byLoop.entrySet()) {
      Set<MpdHandler> handlers = e.getValue();
      if (!handlers.isEmpty()) {
        e.getKey()
            .execute(
                () -> {
                  for (MpdHandler h : handlers) {
                    h.changed(mask);
                  }
                });
      }
    }
  }
}
