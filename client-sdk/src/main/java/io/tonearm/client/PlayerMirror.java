package io.tonearm.client;

import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Hello;
import io.tonearm.proto.v1.Job;
import io.tonearm.proto.v1.JobChanged;
import io.tonearm.proto.v1.OutputsState;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.QueueChanged;
import io.tonearm.proto.v1.QueueItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live copy of the daemon's player, queue, outputs and jobs, kept current from one event stream
 * (topics {@code player}, {@code queue}, {@code outputs}, {@code jobs}) that resumes after a drop
 * and rebuilds from snapshots when it must. Made by {@link TonearmClient#mirror}.
 *
 * <p><b>Threading:</b> the state is updated on the client's event loop; the getters may be called
 * from any thread and return immutable values (each a consistent copy as of some seq, never a
 * half-applied change). {@link #awaitSeq} blocks and must not be called on the event loop (that is,
 * not from a listener).
 */
public final class PlayerMirror implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PlayerMirror.class);

  private final MirrorListener listener;
  private final Object seqLock = new Object();
  private EventStream stream;

  // Written on the event loop only.
  private final List<QueueItem> queueItems = new ArrayList<>();
  private final Map<String, Job> jobsById = new LinkedHashMap<>();
  private final Set<String> snapshotted = new HashSet<>();

  private volatile PlayerState player = PlayerState.getDefaultInstance();
  private volatile List<QueueItem> queue = List.of();
  private volatile OutputsState outputs = OutputsState.getDefaultInstance();
  private volatile List<Job> jobs = List.of();
  private volatile String epoch = "";
  private volatile long seq;
  private volatile boolean live;

  PlayerMirror(MirrorListener listener) {
    this.listener = listener;
  }

  void attach(EventStream s) {
    this.stream = s;
  }

  /** The player's state; the default instance before the first snapshot. */
  public PlayerState player() {
    return player;
  }

  /** The whole queue, in order. */
  public List<QueueItem> queue() {
    return queue;
  }

  public OutputsState outputs() {
    return outputs;
  }

  /** The jobs the daemon reported, oldest first (finished ones included). */
  public List<Job> jobs() {
    return jobs;
  }

  /** The seq the mirror is current as of (within {@link #epoch()}); 0 before the first hello. */
  public long seq() {
    return seq;
  }

  /** The daemon run the seq belongs to; empty before the first hello. */
  public String epoch() {
    return epoch;
  }

  /** True while the stream is connected and the mirror is current. */
  public boolean isLive() {
    return live;
  }

  /**
   * Waits until the mirror includes every change up to {@code seq} (for example the seq a command's
   * reply carries). Returns false on timeout. Any thread but the event loop.
   */
  public boolean awaitSeq(long seq, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (seqLock) {
      while (this.seq < seq) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        seqLock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** The underlying stream (for {@link EventStream#ping()} and its position). */
  public EventStream stream() {
    return stream;
  }

  /** Closes the stream; the mirror keeps its last state. Idempotent. */
  @Override
  public void close() {
    stream.close();
  }

  EventListener eventListener() {
    return new EventListener() {
      @Override
      public void onConnected(EventStream s, Hello hello) {
        epoch = hello.getEpoch();
        if (!hello.getRecovered()) {
          snapshotted.clear();
          queueItems.clear();
          jobsById.clear();
          player = PlayerState.getDefaultInstance();
          queue = List.of();
          outputs = OutputsState.getDefaultInstance();
          jobs = List.of();
        }
        live = true;
        if (!hello.getRecovered()) {
          // The snapshots follow the hello on the same socket, and the daemon answers a ping after
          // writing them: its pong means the mirror holds every snapshot.
          long at = hello.getSeq();
          synchronized (seqLock) {
            seq = 0; // until the snapshots are in
          }
          s.ping().whenComplete((rtt, failure) -> advance(at, false));
        }
      }

      @Override
      public void onSnapshot(EventStream s, Envelope e) {
        apply(e);
      }

      @Override
      public void onEvent(EventStream s, Envelope e) {
        apply(e);
        advance(e.getSeq(), true);
      }

      @Override
      public void onDisconnected(EventStream s, int code, String reason, long reconnectIn) {
        live = false;
        guard(() -> listener.onDisconnected(PlayerMirror.this, code, reason));
      }
    };
  }

  private void advance(long to, boolean recovered) {
    synchronized (seqLock) {
      seq = Math.max(seq, to);
      seqLock.notifyAll();
    }
    if (!recovered) {
      guard(() -> listener.onReset(this));
    }
  }

  private void apply(Envelope e) {
    switch (e.getBodyCase()) {
      case PLAYER -> {
        player = e.getPlayer().getState();
        guard(() -> listener.onPlayer(this, player));
      }
      case QUEUE -> {
        applyQueue(e.getQueue());
        queue = List.copyOf(queueItems);
        guard(() -> listener.onQueue(this, queue));
      }
      case OUTPUTS -> {
        outputs = e.getOutputs().getState();
        guard(() -> listener.onOutputs(this, outputs));
      }
      case JOBS -> {
        applyJobs(e.getJobs());
        jobs = List.copyOf(jobsById.values());
        guard(() -> listener.onJobs(this, jobs));
      }
      default -> {}
    }
  }

  private void applyQueue(QueueChanged c) {
    switch (c.getChangeCase()) {
      case REPLACED -> {
        queueItems.clear();
        queueItems.addAll(c.getReplaced().getItemsList());
      }
      case INSERTED -> {
        int at = Math.min(c.getInserted().getIndex(), queueItems.size());
        queueItems.addAll(at, c.getInserted().getItemsList());
      }
      case REMOVED -> {
        Set<String> gone = new HashSet<>(c.getRemoved().getItemIdsList());
        queueItems.removeIf(i -> gone.contains(i.getItemId()));
      }
      case MOVED -> {
        String id = c.getMoved().getItemId();
        for (int i = 0; i < queueItems.size(); i++) {
          if (queueItems.get(i).getItemId().equals(id)) {
            QueueItem item = queueItems.remove(i);
            queueItems.add(Math.min(c.getMoved().getToIndex(), queueItems.size()), item);
            break;
          }
        }
      }
      case UPDATED -> {
        for (QueueItem u : c.getUpdated().getItemsList()) {
          for (int i = 0; i < queueItems.size(); i++) {
            if (queueItems.get(i).getItemId().equals(u.getItemId())) {
              queueItems.set(i, u);
              break;
            }
          }
        }
      }
      case CHANGE_NOT_SET -> {}
    }
    if (queueItems.size() != c.getLength()) {
      log.warn("mirrored queue has {} items, the daemon says {}", queueItems.size(), c.getLength());
    }
  }

  private void applyJobs(JobChanged c) {
    switch (c.getChangeCase()) {
      case SNAPSHOT -> {
        jobsById.clear();
        for (Job j : c.getSnapshot().getJobsList()) {
          jobsById.put(j.getId(), j);
        }
      }
      case CREATED -> jobsById.put(c.getCreated().getId(), c.getCreated());
      case STARTED -> jobsById.put(c.getStarted().getId(), c.getStarted());
      case PROGRESS -> jobsById.put(c.getProgress().getId(), c.getProgress());
      case COMPLETED -> jobsById.put(c.getCompleted().getId(), c.getCompleted());
      case FAILED -> jobsById.put(c.getFailed().getId(), c.getFailed());
      case CANCELLED -> jobsById.put(c.getCancelled().getId(), c.getCancelled());
      case CHANGE_NOT_SET -> {}
    }
  }

  private static void guard(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException ex) {
      log.warn("mirror listener threw; the mirror goes on", ex);
    }
  }
}
