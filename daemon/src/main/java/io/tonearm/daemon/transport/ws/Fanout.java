package io.tonearm.daemon.transport.ws;

import io.netty.channel.EventLoop;
import io.tonearm.daemon.events.EncodedEvent;
import io.tonearm.daemon.events.EventHub;
import io.tonearm.daemon.events.FrameStreams;
import io.tonearm.daemon.events.WakeHold;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Moves published events and frames onto the event loops. Each loop gets at most one pending drain
 * task however many events arrive before it runs; the task walks that loop's sessions once, and
 * each session writes what it is owed and flushes once.
 *
 * <p>Frames are latest-wins twice: per loop (a frame not yet picked up by the loop is replaced by
 * the next one of its stream) and per session (a frame a non-writable session could not take is
 * replaced by the next one). Both count as drops.
 */
public final class Fanout implements EventHub.Listener, FrameStreams.Listener {

  private final Map<EventLoop, Loop> loops = new ConcurrentHashMap<>();
  private final Map<String, Integer> zoneSockets = new ConcurrentHashMap<>();
  private final DropCounter drops;
  private final WakeHold hold;

  /** Where drops are counted. */
  public interface DropCounter {
    /** {@code frames} frames of {@code stream} were lost: one per session that missed one. */
    void dropped(FrameStreams.Stream stream, int frames);
  }

  /** A fan-out whose state-event wake-ups are never held. */
  public Fanout(DropCounter drops) {
    this(drops, new WakeHold());
  }

  /**
   * @param hold state events published by a held task ({@link WakeHold#holding}) wake the loops as
   *     it says (frames are never held)
   */
  public Fanout(DropCounter drops, WakeHold hold) {
    this.drops = drops;
    this.hold = hold;
  }

  /**
   * One event loop's sessions and the frames waiting for them. Confined to its loop but for wake.
   */
  final class Loop implements Runnable {
    private final EventLoop loop;
    private final List<WsSession> sessions = new ArrayList<>();
    private final Map<FrameStreams.Stream, Integer> watching = new ConcurrentHashMap<>();
    private final Map<FrameStreams.Stream, EncodedEvent> frames = new ConcurrentHashMap<>();
    private final List<EncodedEvent> batch = new ArrayList<>();
    private final List<FrameStreams.Stream> batchStreams = new ArrayList<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable wakeTask = this::wake;

    Loop(EventLoop loop) {
      this.loop = loop;
    }

    void wake() {
      if (scheduled.compareAndSet(false, true)) {
        loop.execute(this);
      }
    }

    void offer(FrameStreams.Stream stream, EncodedEvent frame) {
      if (put(stream, frame)) {
        wake();
      }
    }

    /** Queues the frame without waking the loop; true when this loop has a watcher for it. */
    boolean put(FrameStreams.Stream stream, EncodedEvent frame) {
      Integer watchers = watching.get(stream);
      if (watchers == null) {
        return false;
      }
      if (frames.put(stream, frame) != null) {
        // Every session on this loop that watches the stream loses the replaced frame.
        drops.dropped(stream, watchers);
      }
      return true;
    }

    @Override
    public void run() {
      scheduled.set(false);
      batch.clear();
      batchStreams.clear();
      for (FrameStreams.Stream s : frames.keySet()) {
        EncodedEvent f = frames.remove(s);
        if (f != null) {
          batchStreams.add(s);
          batch.add(f);
        }
      }
      for (int i = 0; i < sessions.size(); i++) {
        sessions.get(i).drain(batchStreams, batch);
      }
    }

    void add(WsSession s) {
      sessions.add(s);
      zoneSockets.merge(s.zone(), 1, Integer::sum);
    }

    void remove(WsSession s) {
      if (sessions.remove(s)) {
        zoneSockets.computeIfPresent(s.zone(), (z, n) -> n == 1 ? null : n - 1);
      }
    }

    void watch(FrameStreams.Stream s) {
      watching.merge(s, 1, Integer::sum);
    }

    void unwatch(FrameStreams.Stream s) {
      watching.computeIfPresent(s, (k, n) -> n == 1 ? null : n - 1);
    }
  }

  /** Sockets that follow {@code zone} now (any thread). */
  public int sockets(String zone) {
    return zoneSockets.getOrDefault(zone, 0);
  }

  /** The loop record for a session's event loop; made on first use. */
  Loop loop(EventLoop loop) {
    return loops.computeIfAbsent(loop, Loop::new);
  }

  /**
   * Closes every socket with {@code code} and {@code reason} (on shutdown: 1001), and waits up to a
   * second for the close frames to be written.
   */
  public void closeAll(int code, String reason) {
    List<io.netty.util.concurrent.Future<?>> done = new ArrayList<>();
    for (Loop l : loops.values()) {
      done.add(
          l.loop.submit(
              () -> {
                for (WsSession s : new ArrayList<>(l.sessions)) {
                  s.close(code, reason, "shutdown");
                }
              }));
    }
    for (io.netty.util.concurrent.Future<?> f : done) {
      f.awaitUninterruptibly(1000);
    }
  }

  /**
   * Closes the sockets that follow {@code zone} with {@code code} and {@code reason}, each after
   * writing what it is owed (the event that says why). Returns at once; the closes run on the
   * loops.
   */
  public void closeZone(String zone, int code, String reason) {
    closeZone(zone, code, reason, "zone_removed");
  }

  /** {@link #closeZone(String, int, String)} counted under {@code metricReason}. */
  public void closeZone(String zone, int code, String reason, String metricReason) {
    for (Loop l : loops.values()) {
      l.loop.execute(
          () -> {
            for (WsSession s : new ArrayList<>(l.sessions)) {
              if (s.zone().equals(zone)) {
                s.drain(List.of(), List.of());
                s.close(code, reason, metricReason);
              }
            }
          });
    }
  }

  @Override
  public void published(EncodedEvent event) {
    for (Loop l : loops.values()) {
      hold.wake(l.wakeTask);
    }
  }

  @Override
  public void frame(FrameStreams.Stream stream, EncodedEvent frame) {
    for (Loop l : loops.values()) {
      l.offer(stream, frame);
    }
  }

  /** One ticker wake-up's frames: queued on every loop first, then each loop woken once. */
  @Override
  public void frames(List<FrameStreams.Stream> streams, List<EncodedEvent> frames) {
    for (Loop l : loops.values()) {
      boolean any = false;
      for (int i = 0; i < streams.size(); i++) {
        any |= l.put(streams.get(i), frames.get(i));
      }
      if (any) {
        l.wake();
      }
    }
  }
}
