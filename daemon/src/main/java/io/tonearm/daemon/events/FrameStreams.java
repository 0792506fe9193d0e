package io.tonearm.daemon.events;

import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frame lane: one stream per distinct normalized view with at least one subscriber, ticking at
 * the view's rate on one ticker. Each tick renders once, encodes once, and hands the frame to the
 * listeners (the socket fan-out), which keep only the newest frame per client and stream.
 *
 * <p>Every stream's ticks lie on one grid per rate, counted from the same origin (tick k of a
 * stream at F fps is due k/F seconds after it), so streams at the same rate, or at rates that
 * divide each other, fall due together: the ticker wakes once for all of them, stamps them with one
 * clock reading, and hands the listeners the whole batch at once (one event-loop task per tick, not
 * per frame). It sleeps while no stream runs.
 *
 * <p>Where the ticks run: while every running stream together costs at most {@link
 * #LOOP_MAX_TICK_COST} samples a tick and has at most {@link #LOOP_MAX_WATCHERS} subscribers in
 * all, on the event loop of the client that started them (when it gave one to {@link #join(String,
 * FrameView, ScheduledExecutorService)}), as a task scheduled at the tick's time. That loop wakes
 * for its clients' frames anyway, so a tick costs one wake-up instead of two (the ticker thread's
 * timer, then the loop's eventfd), and a wake-up on this machine costs about as much as rendering
 * four small views. A costlier or more watched set of streams moves the ticks to the ticker thread
 * {@code tonearm-frames} at the next tick, so that FFTs of tens of thousands of points never hold
 * up an I/O loop; they stay there until every stream has stopped. Either way one thread renders at
 * a time, in tick order.
 */
public final class FrameStreams implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FrameStreams.class);

  /** Maximum frames per second of any view. */
  public static final int MAX_FPS = 120;

  /**
   * The default bound on the render cost of all streams together, in samples per second ({@link
   * FrameSource#frameCost} times fps, summed over distinct streams): 2^25, eight 32768-point
   * spectra at 120 fps, or 273 of the web page's 2048-point spectra at 60 fps.
   */
  public static final long DEFAULT_MAX_RENDER_COST = 1L << 25;

  /** A new stream would take the render cost past its bound; nothing was joined. */
  public static final class OverBudgetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OverBudgetException(String message) {
      super(message);
    }
  }

  /**
   * The summed {@link FrameSource#frameCost} (samples) of all running streams up to which ticks may
   * run on a client's event loop. A 4096- and a 2048-point spectrum, a waveform and meters cost
   * 8,192 and render in about 0.15 ms a tick under the quick JIT compiler; at this bound and
   * {@value #MAX_FPS} fps the ticks would take about 4 % of the loop.
   */
  public static final long LOOP_MAX_TICK_COST = 16_384;

  /**
   * The subscribers (summed over the streams) up to which ticks may run on a client's event loop.
   * The wake-up saved matters when a tick's frames go to a few sockets; with hundreds, a tick wakes
   * every loop anyway, and it should not wait behind one loop's fan-out pass.
   */
  public static final int LOOP_MAX_WATCHERS = 16;

  /** Streams due within this much of a wake-up render in it rather than waking again. */
  private static final long SLACK_NANOS = 500_000;

  private static final long SECOND = 1_000_000_000L;

  /**
   * Told of every rendered frame, by the ticker (its thread or the event loop it ticks on); must
   * only hand it over, never block.
   */
  public interface Listener {
    void frame(Stream stream, EncodedEvent frame);

    /**
     * The frames rendered in one wake-up of the ticker ({@code streams.get(i)} rendered {@code
     * frames.get(i)}); by default {@link #frame} for each. The lists are reused after the call.
     */
    default void frames(List<Stream> streams, List<EncodedEvent> frames) {
      for (int i = 0; i < streams.size(); i++) {
        frame(streams.get(i), frames.get(i));
      }
    }
  }

  /** A live stream: one normalized view, shared by all its subscribers. */
  public final class Stream {
    private final String id;
    private final byte[] idBytes;
    private final String zone;
    private final byte[] zoneBytes;
    private final Topic topic;
    private final FrameView view;
    private final int fps;
    private final long cost;
    private final long frameCost;
    private FrameSource source; // set once before the stream is published to the ticker
    private int subscribers;
    private final AtomicLong frames = new AtomicLong();
    // The ticker only (set before the stream is published to it).
    private long tick;
    private long due;

    private Stream(String id, String zone, Topic topic, FrameView view, long cost, long frameCost) {
      this.id = id;
      this.idBytes = id.getBytes(StandardCharsets.UTF_8);
      this.zone = zone;
      this.zoneBytes = zone.getBytes(StandardCharsets.UTF_8);
      this.topic = topic;
      this.view = view;
      this.fps = view.getFps();
      this.cost = cost;
      this.frameCost = frameCost;
    }

    public String id() {
      return id;
    }

    public Topic topic() {
      return topic;
    }

    /** The zone whose audio it renders. */
    public String zone() {
      return zone;
    }

    /** The view with defaults filled in. */
    public FrameView view() {
      return view;
    }

    /** Frames rendered so far. */
    public long frames() {
      return frames.get();
    }

    /** Renders this tick's frame, or returns null when the source has nothing new. */
    private EncodedEvent render(long now) {
      try {
        if (source instanceof WireFrameSource w) {
          body.reset();
          int field = w.renderWire(view, now, body);
          if (field == 0) {
            return null;
          }
          frames.incrementAndGet();
          return EncodedEvent.ofFrame(topic, zone, envelope(field, now));
        }
        Envelope.Builder b = source.render(view, now);
        if (b == null) {
          return null;
        }
        Envelope env =
            b.setSeq(0)
                .setEpoch(epoch.get())
                .setServerTimeUs(now)
                .setStream(id)
                .setZone(zone)
                .build();
        frames.incrementAndGet();
        return new EncodedEvent(0, topic, env);
      } catch (RuntimeException e) {
        log.warn("frame source for {} failed on view {}", topic.wireName(), id, e);
        return null;
      }
    }

    /**
     * The envelope of the body in {@link #body} as protobuf encodes it: seq (0, so absent), epoch,
     * server time, stream id and zone in field order, then the body as field {@code field}.
     */
    private byte[] envelope(int field, long now) {
      FrameBody head = envelopeHead;
      head.reset();
      String e = epoch.get();
      if (!e.equals(epochText)) {
        epochText = e;
        epochBytes = e.getBytes(StandardCharsets.UTF_8);
      }
      if (epochBytes.length > 0) {
        head.bytes(Envelope.EPOCH_FIELD_NUMBER, epochBytes, epochBytes.length);
      }
      head.int64(Envelope.SERVER_TIME_US_FIELD_NUMBER, now);
      if (idBytes.length > 0) {
        head.bytes(Envelope.STREAM_FIELD_NUMBER, idBytes, idBytes.length);
      }
      if (zoneBytes.length > 0) {
        head.bytes(Envelope.ZONE_FIELD_NUMBER, zoneBytes, zoneBytes.length);
      }
      head.tag(field, FrameBody.LEN);
      head.varint(body.length());
      byte[] out = Arrays.copyOf(head.array(), head.length() + body.length());
      System.arraycopy(body.array(), 0, out, head.length(), body.length());
      return out;
    }

    /** Moves to the first tick due after {@code now} (skipping ticks missed in a stall). */
    private void advance(long now) {
      tick = Math.max(tick + 1, tickAt(now, fps) + 1);
      due = dueAt(tick, fps);
    }
  }

  private final Map<String, Map<Topic, FrameSource>> sources = new HashMap<>(); // guarded by this
  private final Map<Key, Stream> byKey = new HashMap<>();

  /** A normalized view in a zone. */
  private record Key(String zone, FrameView view) {}

  private final Map<String, Stream> byId = new HashMap<>();
  private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
  private final LongSupplier clockMicros;
  private final java.util.function.Supplier<String> epoch;
  private final long maxRenderCost;
  private long renderCost; // guarded by this
  private long tickCost; // guarded by this: frame costs summed, samples
  private int watchers; // guarded by this: subscribers summed over the streams

  /** Where the ticks run: nowhere (no stream), on {@link #loop}, or on the ticker thread. */
  private enum Runner {
    IDLE,
    LOOP,
    THREAD
  }

  private volatile Runner runner = Runner.IDLE; // changed under this object's lock
  private ScheduledExecutorService loop; // guarded by this: where LOOP ticks run
  private LoopTick pending; // guarded by this: the next tick scheduled on the loop
  // Written by the ticker thread under this object's lock (a phase shift), read by both.
  private volatile long origin = System.nanoTime();
  private final PhaseLock phase = new PhaseLock();
  private volatile long pendingShift;
  private volatile Stream[] live = new Stream[0];
  private volatile boolean closed;
  private Thread ticker;
  private int nextId = 1;
  // The ticker only: the body of the frame being rendered, the envelope's head, the epoch's
  // bytes.
  private final FrameBody body = new FrameBody();
  private final FrameBody envelopeHead = new FrameBody();
  private String epochText;
  private byte[] epochBytes;
  // The ticker only: the current batch.
  private final List<Stream> batchStreams = new ArrayList<>();
  private final List<EncodedEvent> batchFrames = new ArrayList<>();

  public FrameStreams(String epoch, LongSupplier clockMicros) {
    this(epoch, clockMicros, DEFAULT_MAX_RENDER_COST);
  }

  /**
   * @param maxRenderCost bound on the summed render cost of all streams, samples per second
   */
  public FrameStreams(String epoch, LongSupplier clockMicros, long maxRenderCost) {
    this(() -> epoch, clockMicros, maxRenderCost);
  }

  /**
   * @param epoch the epoch frames carry, read at each frame (a relay's follows the origin's)
   * @param maxRenderCost bound on the summed render cost of all streams, samples per second
   */
  public FrameStreams(
      java.util.function.Supplier<String> epoch, LongSupplier clockMicros, long maxRenderCost) {
    this.epoch = epoch;
    this.clockMicros = clockMicros;
    this.maxRenderCost = maxRenderCost;
  }

  /** Registers the source of a frame topic in zone "default"; call before the server starts. */
  public void register(Topic topic, FrameSource source) {
    register(ZoneId.DEFAULT, topic, source);
  }

  /** Registers the source of a frame topic in {@code zone}. */
  public synchronized void register(String zone, Topic topic, FrameSource source) {
    if (topic.lane() != Topic.Lane.FRAME) {
      throw new IllegalArgumentException(topic + " is not a frame topic");
    }
    sources.computeIfAbsent(zone, z -> new EnumMap<>(Topic.class)).put(topic, source);
  }

  /**
   * Forgets a removed zone's sources. Its streams stop when their last subscriber leaves (the
   * zone's sockets are closed when it is removed); until then they keep rendering its last audio.
   */
  public synchronized void unregister(String zone) {
    sources.remove(zone);
  }

  /** True when the topic has a source in zone "default". */
  public synchronized boolean hasSource(Topic topic) {
    return sources.getOrDefault(ZoneId.DEFAULT, Map.of()).containsKey(topic);
  }

  public void addListener(Listener l) {
    listeners.add(l);
  }

  /**
   * Joins (or starts) the stream for {@code requested}. Every call must be matched by one {@link
   * #leave}.
   *
   * @throws IllegalArgumentException when the topic has no source or the view is invalid; the
   *     message names the limit
   * @throws OverBudgetException when the view needs a new stream whose cost would take the render
   *     cost past its bound (joining a running stream costs nothing)
   */
  public synchronized Stream join(FrameView requested) {
    return join(ZoneId.DEFAULT, requested);
  }

  /** {@link #join(FrameView)} a view of zone {@code zone}'s audio. */
  public synchronized Stream join(String zone, FrameView requested) {
    return join(zone, requested, null);
  }

  /**
   * {@link #join(String, FrameView)}, from a client served by the single-threaded event loop {@code
   * near}: when this starts the first stream and the streams are cheap enough, the ticks run on
   * {@code near} (see the class comment); null for the ticker thread.
   */
  public synchronized Stream join(String zone, FrameView requested, ScheduledExecutorService near) {
    Topic topic =
        Topic.byWireName(requested.getTopic())
            .filter(t -> t.lane() == Topic.Lane.FRAME)
            .orElseThrow(
                () -> new IllegalArgumentException("unknown frame topic: " + requested.getTopic()));
    FrameSource source = sources.getOrDefault(zone, Map.of()).get(topic);
    if (source == null) {
      throw new IllegalArgumentException("frame topic not available: " + topic.wireName());
    }
    if (requested.getFps() > MAX_FPS) {
      throw new IllegalArgumentException(
          "fps must be 0 (default) to " + MAX_FPS + ", got " + requested.getFps());
    }
    FrameView view = source.normalize(requested);
    if (view.getFps() < 1 || view.getFps() > MAX_FPS) {
      throw new IllegalArgumentException("fps must be 1 to " + MAX_FPS + ", got " + view.getFps());
    }
    FrameView keyView = view.toBuilder().setTopic(topic.wireName()).build();
    Key key = new Key(zone, keyView);
    Stream s = byKey.get(key);
    if (s == null) {
      long cost =
          Math.max(FrameSource.MIN_FRAME_COST, source.frameCost(keyView)) * keyView.getFps();
      if (renderCost + cost > maxRenderCost) {
        throw new OverBudgetException(
            "render budget: this view costs "
                + cost
                + " samples/s (frame cost x fps) and the running views "
                + renderCost
                + " of at most "
                + maxRenderCost
                + "; ask for a smaller size, span or fps, or share a running view");
      }
      renderCost += cost;
      long frameCost = Math.max(FrameSource.MIN_FRAME_COST, source.frameCost(keyView));
      tickCost += frameCost;
      s = new Stream(topic.wireName() + "-" + nextId++, zone, topic, keyView, cost, frameCost);
      s.source = source;
      byKey.put(key, s);
      byId.put(s.id, s);
      // The first frame at once: the grid tick at or before now.
      s.tick = tickAt(System.nanoTime(), s.fps);
      s.due = dueAt(s.tick, s.fps);
      Stream[] next = java.util.Arrays.copyOf(live, live.length + 1);
      next[next.length - 1] = s;
      live = next; // publishes tick and due to the ticker
      s.subscribers++;
      watchers++;
      if (!closed) {
        wakeFor(near);
      }
      return s;
    }
    s.subscribers++;
    watchers++; // past the bound, the next tick on a loop moves to the thread
    return s;
  }

  /** Leaves a stream; the last subscriber out stops it. */
  public synchronized void leave(Stream s) {
    watchers--;
    if (--s.subscribers == 0) {
      renderCost -= s.cost;
      tickCost -= s.frameCost;
      byKey.values().remove(s);
      byId.remove(s.id);
      live = java.util.Arrays.stream(live).filter(x -> x != s).toArray(Stream[]::new);
    }
  }

  /** Summed render cost of the running streams, samples per second. */
  public synchronized long renderCost() {
    return renderCost;
  }

  /** The bound on {@link #renderCost}. */
  public long maxRenderCost() {
    return maxRenderCost;
  }

  /** Streams running now, for /health. */
  public synchronized int activeStreams() {
    return byId.size();
  }

  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = ticker;
      if (pending != null) {
        pending.future.cancel(false);
        pending = null;
      }
    }
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /**
   * A frame for a stream at {@code fps} arrived from elsewhere at {@code nanos} ({@link
   * System#nanoTime}): a relay's frames come on the origin's grid, whose phase against this one is
   * arbitrary. Where arrivals fall close to this grid's ticks, a machine's jitter puts two of them
   * in one tick (the first is replaced: latest wins) and none in the next, so the grid follows
   * them: its ticks move to half a period after the arrivals (of the fastest rate arriving), where
   * a frame late or early by up to that much still has a tick of its own. Any thread.
   */
  public void arrived(int fps, long nanos) {
    long shift = phase.arrival(fps, nanos - origin, nanos);
    if (shift != 0) {
      pendingShift = shift; // applied by the ticker at its next wake-up
    }
  }

  /**
   * Moves the grid by {@code shift} nanoseconds; every stream's next tick is its first after now.
   */
  private synchronized void shiftGrid(long shift, long now) {
    origin += shift;
    for (Stream s : live) {
      s.tick = tickAt(now, s.fps) + 1;
      s.due = dueAt(s.tick, s.fps);
    }
  }

  /**
   * Where arrivals fall on a rate's grid: the circular mean of their phases over {@value #WINDOW}
   * arrivals of the fastest rate arriving, and how far the grid must move so that its ticks fall
   * half a period after them (none when they already fall within an eighth of a period of that, or
   * are spread too widely to say).
   */
  static final class PhaseLock {
    static final int WINDOW = 30;

    private int fps;
    private long fpsSeenNanos;
    private int n;
    private double sumCos;
    private double sumSin;

    /**
     * @param sinceOrigin the arrival, in nanoseconds after the grid's origin
     * @return how far to move the grid's origin, 0 for not at all
     */
    synchronized long arrival(int fps, long sinceOrigin, long nanos) {
      if (fps <= 0) {
        return 0;
      }
      if (fps > this.fps || (fps < this.fps && nanos - fpsSeenNanos > SECOND)) {
        this.fps = fps; // the fastest rate arriving; a slower one once it has stopped for 1 s
        n = 0;
        sumCos = 0;
        sumSin = 0;
      } else if (fps < this.fps) {
        return 0;
      }
      fpsSeenNanos = nanos;
      double period = (double) SECOND / fps;
      // The phase against the grid's own ticks (tickAt/dueAt's integer form), exact however long
      // the grid has run.
      long t = Math.max(0, sinceOrigin);
      long k = t / SECOND * fps + t % SECOND * fps / SECOND;
      long tickAt = k / fps * SECOND + k % fps * SECOND / fps;
      double angle = 2 * Math.PI * ((t - tickAt) / period);
      sumCos += Math.cos(angle);
      sumSin += Math.sin(angle);
      if (++n < WINDOW) {
        return 0;
      }
      double concentration = Math.hypot(sumCos, sumSin) / n;
      double arrivalPhase = Math.atan2(sumSin, sumCos) / (2 * Math.PI) * period;
      n = 0;
      sumCos = 0;
      sumSin = 0;
      if (concentration < 0.5) {
        return 0; // arrivals spread over the period: no phase to follow
      }
      double error = arrivalPhase + period / 2;
      error -= Math.floor(error / period + 0.5) * period; // into [-period/2, period/2)
      return Math.abs(error) < period / 8 ? 0 : Math.round(error);
    }
  }

  /** Index of the last tick at {@code fps} due at or before {@code nanos}. */
  private long tickAt(long nanos, int fps) {
    long elapsed = Math.max(0, nanos - origin);
    return elapsed / SECOND * fps + elapsed % SECOND * fps / SECOND;
  }

  /** When tick {@code k} at {@code fps} is due, exactly on the grid (no drift). */
  private long dueAt(long k, int fps) {
    return origin + k / fps * SECOND + k % fps * SECOND / fps;
  }

  /** The ticker: renders every stream that is due, hands over the batch, sleeps until the next. */
  private void run() {
    while (!closed) {
      if (runner != Runner.THREAD) {
        LockSupport.park(this);
        continue;
      }
      Stream[] streams = live;
      if (streams.length == 0) {
        synchronized (this) {
          if (live.length == 0) {
            runner = Runner.IDLE; // the next stream to start chooses again
          }
        }
        continue;
      }
      long wait = tick(streams) - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(this, wait);
      }
    }
  }

  /** A new stream is live: its first frame at once, where the ticks run or should run. */
  private void wakeFor(ScheduledExecutorService near) { // under this object's lock
    switch (runner) {
      case IDLE -> {
        runner = Runner.LOOP;
        loop = near;
        if (near == null || !fitsLoop() || !scheduleOnLoop(System.nanoTime())) {
          toThread();
        }
      }
      case LOOP -> scheduleOnLoop(System.nanoTime()); // a tick too costly moves to the thread
      case THREAD -> LockSupport.unpark(ticker);
    }
  }

  /** Whether the running streams are cheap and few-watched enough to tick on a client's loop. */
  private boolean fitsLoop() { // under this object's lock
    return tickCost <= LOOP_MAX_TICK_COST && watchers <= LOOP_MAX_WATCHERS;
  }

  /** Moves the ticks to the ticker thread, starting it the first time. */
  private void toThread() { // under this object's lock
    runner = Runner.THREAD;
    if (pending != null) {
      pending.future.cancel(false);
      pending = null;
    }
    if (ticker == null) {
      ticker = new Thread(this::run, "tonearm-frames");
      ticker.setDaemon(true);
      ticker.setPriority(Thread.MAX_PRIORITY - 1);
      ticker.start();
    } else {
      LockSupport.unpark(ticker);
    }
  }

  /**
   * Schedules a tick on the loop at {@code due} ({@link System#nanoTime}), unless one is already
   * scheduled no later; a later one is cancelled, so only one chain of ticks ever runs. False when
   * the loop refused it (it is shutting down): the ticks stop until the next stream starts.
   */
  private boolean scheduleOnLoop(long due) { // under this object's lock
    if (pending != null) {
      if (pending.due - due <= 0) {
        return true;
      }
      pending.future.cancel(false);
      pending = null;
    }
    LoopTick t = new LoopTick(due);
    try {
      t.future = loop.schedule(t, Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      runner = Runner.IDLE;
      return false;
    }
    pending = t;
    return true;
  }

  /** One tick on the loop; it runs only while it is still the one scheduled. */
  private final class LoopTick implements Runnable {
    private final long due;
    private ScheduledFuture<?> future; // set under the lock, right after scheduling

    LoopTick(long due) {
      this.due = due;
    }

    @Override
    public void run() {
      Stream[] streams;
      synchronized (FrameStreams.this) {
        if (pending != this || closed) {
          return;
        }
        pending = null;
        if (!fitsLoop()) {
          toThread();
          return;
        }
        streams = live;
        if (streams.length == 0) {
          runner = Runner.IDLE;
          return;
        }
      }
      long next = tick(streams);
      synchronized (FrameStreams.this) {
        if (runner == Runner.LOOP && !closed) {
          scheduleOnLoop(next);
        }
      }
    }
  }

  /**
   * One wake-up: renders the streams that are due and hands the batch to the listeners; returns
   * when the next stream is due. A method of its own so that the JIT compiles it after a few
   * thousand calls: the loop in {@link #run} turns only {@code fps} times a second and would run
   * interpreted for many minutes before an on-stack replacement.
   */
  private long tick(Stream[] streams) {
    long now = System.nanoTime();
    long shift = pendingShift;
    if (shift != 0) {
      pendingShift = 0;
      shiftGrid(shift, now);
    }
    long micros = 0;
    boolean stamped = false;
    long next = Long.MAX_VALUE;
    for (Stream s : streams) {
      if (s.due - now <= SLACK_NANOS) {
        if (!stamped) {
          micros = clockMicros.getAsLong(); // one stamp for every frame of this wake-up
          stamped = true;
        }
        EncodedEvent f = s.render(micros);
        if (f != null) {
          batchStreams.add(s);
          batchFrames.add(f);
        }
        s.advance(now);
      }
      next = Math.min(next, s.due);
    }
    if (!batchStreams.isEmpty()) {
      for (Listener l : listeners) {
        try {
          l.frames(batchStreams, batchFrames);
        } catch (RuntimeException e) {
          log.warn("frame listener failed", e);
        }
      }
      batchStreams.clear();
      batchFrames.clear();
    }
    return next;
  }
}
