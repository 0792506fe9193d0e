package io.tonearm.daemon.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.tonearm.daemon.events.EncodedEvent;
import io.tonearm.daemon.events.EventHub;
import io.tonearm.daemon.events.FrameStreams;
import io.tonearm.daemon.events.WakeHold;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Moves published events and frames onto the event loops. Each loop gets at most one pending drain
 * task however many events arrive before it runs; each session it drains writes what it is owed and
 * flushes once. A state event wakes every session of the loop (any may be owed it); frames wake
 * only the sessions that watch their streams, and a session writable again only itself, so a socket
 * with nothing new is not visited at every frame tick. A frame is copied once per loop and tick;
 * each session sends its bytes from that one buffer (no copy, no per-socket encoding, and no
 * per-socket slice unless the socket leaves some of it to the pipeline).
 *
 * <p>Frames are latest-wins twice: per loop (a frame not yet picked up by the loop is replaced by
 * the next one of its stream) and per session (a frame a non-writable session could not take is
 * replaced by the next one). Both count as drops.
 */
public final class Fanout implements EventHub.Listener, FrameStreams.Listener {

  /** The largest pass buffer a loop keeps for its next pass, bytes. */
  private static final int SPARE_MAX = 64 * 1024;

  /**
   * Appends {@code e}'s WebSocket frame, head then payload, to {@code to} and returns it: how a
   * frame is laid into pooled memory, for a fan-out pass and for a session's copies outside one.
   * {@code header}: at least 10 bytes of scratch.
   */
  static ByteBuf appendFrame(EncodedEvent e, boolean text, ByteBuf to, byte[] header) {
    int head = e.webSocketHeader(text, header);
    return to.writeBytes(header, 0, head).writeBytes(e.webSocketPayload(text));
  }

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
    private final Map<FrameStreams.Stream, List<WsSession>> watchers = new HashMap<>();
    private final List<WsSession> due = new ArrayList<>();
    private final List<WsSession> dueNow = new ArrayList<>();
    private final List<EncodedEvent> batch = new ArrayList<>();
    private final List<FrameStreams.Stream> batchStreams = new ArrayList<>();
    private ByteBuf[] wireText = new ByteBuf[4];

    /**
     * Where the pass's binary frames lie in {@link #passBinary}: frame k at {@code [binaryAt[k],
     * binaryAt[k + 1])}. A session that asks for one frame sends that range; a session watching all
     * of them sends the whole buffer.
     */
    private int[] binaryAt = new int[5];

    /** Scratch for a frame's head in {@link #copy}. */
    private final byte[] header = new byte[10];

    /** The pass's binary frames back to back (null until a session asks for one). */
    private ByteBuf passBinary;

    /** The last pass's buffer, reused when no write holds it any more (null: none kept). */
    private ByteBuf spare;

    /**
     * State events copied during the pass under way, per encoding: every session of the loop that
     * is owed one sends from the same buffer (as for frames), not a copy of its own. Released at
     * the end of the pass.
     */
    private final Framed stateBinary = new Framed();

    private final Framed stateText = new Framed();
    private boolean draining;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean stateDue = new AtomicBoolean();
    private final Runnable wakeTask = this::wakeAll;

    /**
     * How many sessions the loop has, readable from any thread: a state event does not wake a loop
     * without any (an eventfd write and a turn of that loop per event saved). A session added after
     * an event skipped its loop starts from a later snapshot or drains up to the newest event.
     */
    private volatile int sessionCount;

    private int pass;

    Loop(EventLoop loop) {
      this.loop = loop;
    }

    /** Wakes every session of this loop (a state event: any of them may be owed it). */
    void wakeAll() {
      stateDue.set(true);
      wake();
    }

    private void wake() {
      if (scheduled.compareAndSet(false, true)) {
        loop.execute(this);
      }
    }

    /** Wakes one session (writable again) at the next pass. Its event loop only. */
    void wake(WsSession s) {
      due.add(s);
      wake();
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
      boolean all = stateDue.getAndSet(false);
      // Sessions woken while this pass drains (a flush made one writable again) wait for the next.
      if (!due.isEmpty()) { // addAll copies even an empty list into a new array first
        dueNow.addAll(due);
        due.clear();
      }
      batch.clear();
      batchStreams.clear();
      for (FrameStreams.Stream s : frames.keySet()) {
        EncodedEvent f = frames.remove(s);
        if (f != null) {
          batchStreams.add(s);
          batch.add(f);
        }
      }
      if (wireText.length < batch.size()) {
        wireText = new ByteBuf[batch.size()];
        binaryAt = new int[batch.size() + 1];
      }
      draining = true;
      try {
        if (all) {
          for (int i = 0; i < sessions.size(); i++) {
            sessions.get(i).drain(batchStreams, batch);
          }
        } else {
          int mark = ++pass;
          for (int i = 0; i < batchStreams.size(); i++) {
            List<WsSession> w = watchers.get(batchStreams.get(i));
            for (int j = 0; w != null && j < w.size(); j++) {
              WsSession s = w.get(j);
              if (s.mark(mark)) {
                s.drain(batchStreams, batch);
              }
            }
          }
          for (int i = 0; i < dueNow.size(); i++) {
            WsSession s = dueNow.get(i);
            if (s.mark(mark)) {
              s.drain(batchStreams, batch);
            }
          }
        }
      } finally {
        draining = false;
        dueNow.clear();
        for (int i = 0; i < batch.size(); i++) {
          release(wireText, i);
        }
        if (passBinary != null) {
          // Kept for the next pass while small: once its writes are flushed (nearly always by the
          // next tick) only this reference holds it, and the next pass's frames overwrite it.
          if (passBinary.capacity() <= SPARE_MAX) {
            spare = passBinary;
          } else {
            passBinary.release();
          }
          passBinary = null;
        }
        if (spare != null && (batch.isEmpty() || sessions.isEmpty())) {
          spare.release(); // a pass without frames (they may have stopped), or no session left
          spare = null;
        }
        stateBinary.release();
        stateText.release();
      }
    }

    /** True while a fan-out pass drains this loop's sessions. Its loop only. */
    boolean draining() {
      return draining;
    }

    /**
     * State event {@code e}'s WebSocket frame for the pass under way: one pooled copy per event and
     * encoding, shared by every session of the loop that is owed it (copied once per loop, as for
     * frames in {@link #frames}) and released at the end of the pass. Not retained: a session sends
     * its bytes {@code [0, writerIndex)} straight to the socket and retains a slice only of what it
     * leaves to the pipeline. (A direct buffer of the event's own, allocated and zeroed for each
     * event and freed later by a cleaner, cost the listener's loop more than this copy: 7 % of its
     * samples with one listener.) Outside a pass a session copies the frames it owes instead
     * ({@code WsSession}). Its loop only.
     */
    ByteBuf stateFrame(EncodedEvent e, boolean text) {
      Framed wrapped = text ? stateText : stateBinary;
      ByteBuf w = wrapped.get(e);
      if (w == null) {
        w = copy(e, text, null);
        wrapped.put(e, w);
      }
      return w;
    }

    /**
     * The pooled buffer that holds the {@code i}th frame of the pass being drained, at bytes {@code
     * [frameFrom(i, text), frameTo(i, text))}: copied once for the pass, shared by its sessions,
     * released at the end of the pass and not retained here (as {@link #stateFrame}). Binary
     * frames: the first one asked for copies every frame of the pass into one buffer (a pass's
     * frames all have a watcher on this loop), one allocation per pass instead of one per frame
     * (see also {@link #allFrames}); JSON frames are printed and copied one by one, only those a
     * JSON session asks for. Its loop only.
     */
    ByteBuf frames(int i, boolean text) {
      if (!text) {
        return allFrames();
      }
      if (wireText[i] == null) {
        wireText[i] = copy(batch.get(i), true, null);
      }
      return wireText[i];
    }

    /** Where the {@code i}th frame starts in {@link #frames}{@code (i, text)}. */
    int frameFrom(int i, boolean text) {
      return text ? 0 : binaryAt[i];
    }

    /** Where the {@code i}th frame ends in {@link #frames}{@code (i, text)}, exclusive. */
    int frameTo(int i, boolean text) {
      return text ? wireText[i].writerIndex() : binaryAt[i + 1];
    }

    /**
     * Every binary frame of the pass being drained, back to back at {@code [0, writerIndex)}: for a
     * session that takes all of them (one send instead of one per frame). Not retained, as {@link
     * #frames}. Its loop only.
     */
    ByteBuf allFrames() {
      if (passBinary == null) {
        binaryPass();
      }
      return passBinary;
    }

    /** Copies the pass's binary frames into one pooled buffer and notes where each lies. */
    private void binaryPass() {
      int size = 0;
      for (int k = 0; k < batch.size(); k++) {
        size += batch.get(k).webSocketFrameSize(false);
      }
      ByteBuf all = spare;
      spare = null;
      if (all != null && (all.refCnt() != 1 || all.capacity() < size)) {
        all.release(); // a write still holds it (the writes release it), or it is too small
        all = null;
      }
      if (all == null) {
        all = ByteBufAllocator.DEFAULT.directBuffer(size);
      }
      all.clear();
      for (int k = 0; k < batch.size(); k++) {
        binaryAt[k] = all.writerIndex();
        copy(batch.get(k), false, all);
      }
      binaryAt[batch.size()] = all.writerIndex();
      passBinary = all; // released at the end of the pass; writes to the pipeline hold slices
    }

    /** Appends {@code e}'s WebSocket frame to {@code to}, or to a buffer of its own when null. */
    private ByteBuf copy(EncodedEvent e, boolean text, ByteBuf to) {
      ByteBuf b =
          to != null ? to : ByteBufAllocator.DEFAULT.directBuffer(e.webSocketFrameSize(text));
      return appendFrame(e, text, b, header);
    }

    private static void release(ByteBuf[] w, int i) {
      if (w[i] != null) {
        w[i].release();
        w[i] = null;
      }
    }

    void add(WsSession s) {
      sessions.add(s);
      sessionCount = sessions.size();
      zoneSockets.merge(s.zone(), 1, Integer::sum);
    }

    void remove(WsSession s) {
      if (sessions.remove(s)) {
        sessionCount = sessions.size();
        if (sessions.isEmpty() && spare != null && !draining) {
          spare.release(); // no session left to write frames to
          spare = null;
        }
        zoneSockets.computeIfPresent(s.zone(), (z, n) -> n == 1 ? null : n - 1);
      }
    }

    void watch(FrameStreams.Stream s) {
      watching.merge(s, 1, Integer::sum);
    }

    void unwatch(FrameStreams.Stream s) {
      watching.computeIfPresent(s, (k, n) -> n == 1 ? null : n - 1);
    }

    /** {@code session} watches {@code s} on this loop: its frames wake it. Its loop only. */
    void watch(FrameStreams.Stream s, WsSession session) {
      watchers.computeIfAbsent(s, k -> new ArrayList<>()).add(session);
      watch(s);
    }

    /** Undoes one {@link #watch(FrameStreams.Stream, WsSession)}. Its loop only. */
    void unwatch(FrameStreams.Stream s, WsSession session) {
      List<WsSession> w = watchers.get(s);
      if (w != null && w.remove(session) && w.isEmpty()) {
        watchers.remove(s);
      }
      unwatch(s);
    }
  }

  /** Sockets that follow {@code zone} now (any thread). */
  public int sockets(String zone) {
    return zoneSockets.getOrDefault(zone, 0);
  }

  /**
   * The loops, for the walks of every published event and frame: an array, not the map's values (an
   * iterator made for every event and frame). Written under {@code this}; a loop once made stays.
   */
  private volatile Loop[] all = new Loop[0];

  /** The loop record for a session's event loop; made on first use. */
  Loop loop(EventLoop loop) {
    Loop l = loops.get(loop);
    if (l != null) {
      return l;
    }
    synchronized (this) {
      l = loops.get(loop);
      if (l == null) {
        l = new Loop(loop);
        loops.put(loop, l);
        Loop[] more = java.util.Arrays.copyOf(all, all.length + 1);
        more[more.length - 1] = l;
        all = more;
      }
      return l;
    }
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

  /**
   * The state events framed in one pass and their buffers, by the event's identity. A pass frames
   * one or two events as a rule, which every session of the loop then asks for: those are found by
   * comparing references, from the newest, where an {@code IdentityHashMap} took the identity hash
   * (a native call under C1, the README's only JIT) for every session and event, and walked its
   * whole table to release them. Past {@value #SCAN} events (a burst, a client catching up) a map
   * finds the rest. Its loop only.
   */
  static final class Framed {
    /** Events compared one by one before the map is asked. */
    static final int SCAN = 8;

    private EncodedEvent[] events = new EncodedEvent[SCAN];
    private ByteBuf[] frames = new ByteBuf[SCAN];
    private int n;

    /** Every event, once there are more than {@link #SCAN}; null before. */
    private Map<EncodedEvent, ByteBuf> more;

    /** The frame of {@code e} put in this pass, or null. */
    ByteBuf get(EncodedEvent e) {
      for (int i = n - 1; i >= 0 && i >= n - SCAN; i--) {
        if (events[i] == e) {
          return frames[i];
        }
      }
      return more == null ? null : more.get(e);
    }

    /** Keeps {@code frame} as {@code e}'s for the rest of the pass (not yet kept). */
    void put(EncodedEvent e, ByteBuf frame) {
      if (n == events.length) {
        events = java.util.Arrays.copyOf(events, 2 * n);
        frames = java.util.Arrays.copyOf(frames, 2 * n);
      }
      events[n] = e;
      frames[n] = frame;
      n++;
      if (n > SCAN) {
        if (more == null) {
          more = new java.util.IdentityHashMap<>();
          for (int i = 0; i < n - 1; i++) {
            more.put(events[i], frames[i]);
          }
        }
        more.put(e, frame);
      }
    }

    /** Releases every frame and forgets the events (the end of a pass). */
    void release() {
      for (int i = 0; i < n; i++) {
        frames[i].release();
        frames[i] = null;
        events[i] = null;
      }
      n = 0;
      more = null;
    }

    /** Frames kept (tests). */
    int size() {
      return n;
    }
  }

  @Override
  public void published(EncodedEvent event) {
    for (Loop l : all) {
      if (l.sessionCount > 0) {
        hold.wake(l.wakeTask);
      }
    }
  }

  @Override
  public void frame(FrameStreams.Stream stream, EncodedEvent frame) {
    for (Loop l : all) {
      l.offer(stream, frame);
    }
  }

  /** One ticker wake-up's frames: queued on every loop first, then each loop woken once. */
  @Override
  public void frames(List<FrameStreams.Stream> streams, List<EncodedEvent> frames) {
    for (Loop l : all) {
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
