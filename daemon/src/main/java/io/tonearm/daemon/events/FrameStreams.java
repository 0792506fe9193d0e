package io.tonearm.daemon.events;

import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frame lane: one stream per distinct normalized view with at least one subscriber, ticking at
 * the view's rate on one ticker thread. Each tick renders once, encodes once, and hands the frame
 * to the listeners (the socket fan-out), which keep only the newest frame per client and stream.
 */
public final class FrameStreams implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FrameStreams.class);

  /** Maximum frames per second of any view. */
  public static final int MAX_FPS = 120;

  /** Told of every rendered frame, on the ticker thread; must only hand it over, never block. */
  public interface Listener {
    void frame(Stream stream, EncodedEvent frame);
  }

  /** A live stream: one normalized view, shared by all its subscribers. */
  public final class Stream {
    private final String id;
    private final Topic topic;
    private final FrameView view;
    private int subscribers;
    private ScheduledFuture<?> ticker;
    private final AtomicLong frames = new AtomicLong();

    private Stream(String id, Topic topic, FrameView view) {
      this.id = id;
      this.topic = topic;
      this.view = view;
    }

    public String id() {
      return id;
    }

    public Topic topic() {
      return topic;
    }

    /** The view with defaults filled in. */
    public FrameView view() {
      return view;
    }

    /** Frames rendered so far. */
    public long frames() {
      return frames.get();
    }

    private void tick() {
      try {
        long now = clockMicros.getAsLong();
        Envelope.Builder b = sources.get(topic).render(view, now);
        if (b == null) {
          return;
        }
        Envelope env = b.setSeq(0).setEpoch(epoch).setServerTimeUs(now).setStream(id).build();
        EncodedEvent encoded = new EncodedEvent(0, topic, env);
        frames.incrementAndGet();
        for (Listener l : listeners) {
          l.frame(this, encoded);
        }
      } catch (RuntimeException e) {
        log.warn("frame source for {} failed on view {}", topic.wireName(), id, e);
      }
    }
  }

  private final Map<Topic, FrameSource> sources = new EnumMap<>(Topic.class);
  private final Map<FrameView, Stream> byKey = new HashMap<>();
  private final Map<String, Stream> byId = new HashMap<>();
  private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService ticker;
  private final LongSupplier clockMicros;
  private final String epoch;
  private int nextId = 1;

  public FrameStreams(String epoch, LongSupplier clockMicros) {
    this.epoch = epoch;
    this.clockMicros = clockMicros;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tonearm-frames");
              t.setDaemon(true);
              t.setPriority(Thread.MAX_PRIORITY - 1);
              return t;
            });
  }

  /** Registers the source of a frame topic; call before the server starts. */
  public void register(Topic topic, FrameSource source) {
    if (topic.lane() != Topic.Lane.FRAME) {
      throw new IllegalArgumentException(topic + " is not a frame topic");
    }
    sources.put(topic, source);
  }

  /** True when the topic has a source in this daemon. */
  public boolean hasSource(Topic topic) {
    return sources.containsKey(topic);
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
   */
  public synchronized Stream join(FrameView requested) {
    Topic topic =
        Topic.byWireName(requested.getTopic())
            .filter(t -> t.lane() == Topic.Lane.FRAME)
            .orElseThrow(
                () -> new IllegalArgumentException("unknown frame topic: " + requested.getTopic()));
    FrameSource source = sources.get(topic);
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
    FrameView key = view.toBuilder().setTopic(topic.wireName()).build();
    Stream s = byKey.get(key);
    if (s == null) {
      s = new Stream(topic.wireName() + "-" + nextId++, topic, key);
      byKey.put(key, s);
      byId.put(s.id, s);
      long periodNanos = 1_000_000_000L / view.getFps();
      Stream started = s;
      s.ticker = ticker.scheduleAtFixedRate(started::tick, 0, periodNanos, TimeUnit.NANOSECONDS);
    }
    s.subscribers++;
    return s;
  }

  /** Leaves a stream; the last subscriber out stops it. */
  public synchronized void leave(Stream s) {
    if (--s.subscribers == 0) {
      s.ticker.cancel(false);
      byKey.values().remove(s);
      byId.remove(s.id);
    }
  }

  /** Streams running now, for /health. */
  public synchronized int activeStreams() {
    return byId.size();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
