package io.tonearm.daemon.player;

import io.tonearm.daemon.audio.AudioEngine;
import io.tonearm.daemon.audio.EngineListener;
import io.tonearm.daemon.audio.Play;
import io.tonearm.daemon.dsp.Enhancement;
import io.tonearm.daemon.dsp.PcmTap;
import io.tonearm.daemon.dsp.StemMixer;
import io.tonearm.daemon.dsp.VolumeRamp;
import io.tonearm.daemon.events.FrameSource;
import io.tonearm.daemon.events.StateLane;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.library.TrackCatalog;
import io.tonearm.daemon.output.NullOutput;
import io.tonearm.daemon.output.Output;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.OutputsReply;
import io.tonearm.proto.v1.PlaybackState;
import io.tonearm.proto.v1.PlayerReply;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.QueueChanged;
import io.tonearm.proto.v1.QueueReply;
import io.tonearm.proto.v1.RepeatMode;
import io.tonearm.proto.v1.ReplayGainConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The player: owns the queue and the playback state, one task at a time ({@link PlayerThread}: on
 * the {@code tonearm-player} thread, or a light command on its caller's thread while the player is
 * idle), drives the audio engine, publishes every change through the state lane and saves its
 * state.
 *
 * <p>Lifecycle: construct, {@link #routes} and {@link #transportSource} to wire it, {@link #start}
 * (restores the saved state, publishing one RESTORE event per topic), {@link #close} (saves). Every
 * command method may be called from any thread and never blocks. Its stage completes on the player
 * thread, or, for the light commands that only set a value (volume, mute, consume; repeat and
 * single may open the next file, so they are not light) and the state query, given while the player
 * is idle, on the calling thread before the method returns; a failed stage carries an {@link
 * io.tonearm.daemon.errors.DomainException}.
 */
public final class Player implements AutoCloseable {

  /** What the command of a GET returns instead of a seq: it is answered as of the current seq. */
  private static final long QUERY = Long.MIN_VALUE;

  private static final Logger log = LoggerFactory.getLogger(Player.class);

  private final PlayerConfig config;
  private final ScheduledExecutorService executor;
  private final PlayerThread thread;
  private final StateLane lane;
  private final AudioEngine engine;
  private final Enhancement enhancement = new Enhancement();
  private final StemMixer mixer = new StemMixer();
  private final PlayQueue queue = new PlayQueue(new SecureRandom());
  private final StatePublisher publisher;
  private final Playback playback;
  private volatile BiConsumer<ReplayGainConfig, Origin> replayGainListener = (c, o) -> {};
  private final QueueCommands queueCommands;
  private final ModeCommands modes;
  private final StateStore store;
  private final Optional<StateFile.Saved> saved;
  private final ItemIds ids;
  private final MusicFolders folders;
  private final List<Output> outputs;
  private final TransportSource transport;
  private final OutputCommands outputCommands;
  private ScheduledFuture<?> pendingSave;

  /** Every acknowledged change, written before the reply (see {@link StateJournal}). */
  private final StateJournal journal;

  /** The queue version of the last journal record that carried the queue; player thread. */
  private long journaledQueue = -1;

  private ScheduledFuture<?> pendingSync;

  /** How long after a journal write it is forced to disk, at most. */
  private static final long JOURNAL_SYNC_MILLIS = 500;

  /** Position records between two forces of the journal (30 s at the default 5 s period). */
  private static final int POSITION_SYNC_RECORDS = 6;

  /** Journal records after which a position save rewrites the state file instead. */
  private static final long POSITION_RECORDS = 120;

  private long positionRecords; // player thread

  /**
   * Writes state files (fsync and rename) so that commands never wait for the disk; its thread ends
   * when nothing was written for a while.
   */
  private final java.util.concurrent.ExecutorService writer =
      io.tonearm.daemon.ops.QuietThreads.single("tonearm-state-writer");

  private ScheduledFuture<?> positionSaver;
  private volatile boolean closed;

  /**
   * @param config folders, data dir and rates
   * @param lane where events go
   * @param catalog track ids and ReplayGain values ({@link TrackCatalog#EMPTY} until the library)
   * @param tap sees what the outputs get ({@link PcmTap#NONE} for none)
   * @param outputs the outputs, all enabled; the first paced one is the clock; empty means one
   *     {@link NullOutput}
   * @throws IOException when a music folder does not exist
   */
  public Player(
      PlayerConfig config,
      StateLane lane,
      TrackCatalog catalog,
      PcmTap tap,
      List<? extends Output> outputs)
      throws IOException {
    this.config = config;
    this.folders = new MusicFolders(config.musicFolders(), catalog::folders);
    this.outputs = outputs.isEmpty() ? List.of(new NullOutput()) : List.copyOf(outputs);
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tonearm-player");
              t.setDaemon(true);
              return t;
            });
    this.thread = new PlayerThread(executor);
    this.lane = lane;
    this.publisher = new StatePublisher(lane);
    StateFile stateFile = new StateFile(config.dataDir());
    this.saved = StateJournal.replay(stateFile.load(), config.dataDir());
    this.journal = new StateJournal(config.dataDir());
    this.engine =
        new AudioEngine(tap, new Listener(), 1f, config.outputRate(), List.of(enhancement), mixer);
    this.transport = new TransportSource(engine.clock(), config.transportFps());
    this.playback = new Playback(queue, engine, publisher, this::changed, config.playSlots());
    this.ids =
        new ItemIds(Math.max(1, saved.map(StateFile.Saved::idCeiling).orElse(1L)), c -> save());
    this.queueCommands = new QueueCommands(queue, playback, publisher, folders, catalog, ids);
    this.modes = new ModeCommands(playback, queue, engine);
    this.outputCommands = new OutputCommands(this.outputs, engine, playback, publisher);
    this.store = new StateStore(stateFile, queue, playback, folders, catalog, outputCommands);
    saved.ifPresent(sv -> outputCommands.restoreDisabled(sv.disabledOutputs()));
    if (this.outputs.stream().map(Output::id).distinct().count() != this.outputs.size()) {
      throw new IllegalArgumentException("output ids must be unique");
    }
  }

  /** Starts the audio threads and restores the saved state, paused (cause RESTORE). */
  public void start() {
    engine.start();
    engine.setOutputs(outputCommands.enabledOutputs());
    call(() -> {
          restore();
          return 0L;
        })
        .toCompletableFuture()
        .join();
    positionSaver =
        thread.scheduleAtFixedRate(
            () -> {
              if (playback.state == PlaybackState.PLAYBACK_STATE_PLAYING) {
                savePosition();
              }
            },
            config.positionSaveMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** The frame source of topic "transport". */
  public FrameSource transportSource() {
    return transport;
  }

  /**
   * The enhancement chain in this player's output path; its settings may be applied from any
   * thread.
   */
  public Enhancement enhancement() {
    return enhancement;
  }

  /** Where playback is heard, from the output clock; any thread. */
  public io.tonearm.daemon.audio.PlaybackClock.Position heard() {
    return engine.clock().now();
  }

  /**
   * The mixer first in this player's output path (stems, vocal and instrumental volume); its
   * settings may be applied from any thread.
   */
  public StemMixer mixer() {
    return mixer;
  }

  /**
   * Blocks of decoded audio waiting in the pipe, 0 to {@link AudioEngine#PIPE_BLOCKS} (20 ms each).
   */
  public int pipeBlocks() {
    return engine.pipeBlocks();
  }

  /** The outputs as given, in order. */
  /** Pipe slots holding a decoded block now; for tests. */
  int audioBlocksHeld() {
    return engine.blocksHeld();
  }

  public List<Output> outputs() {
    return outputs;
  }

  /** Saves the state, stops playback threads. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      CompletableFuture<Void> saved = new CompletableFuture<>();
      thread.execute(
          () -> {
            try {
              playback.giveSlot(); // the state saved still says playing or paused
              save();
              saved.complete(null);
            } catch (RuntimeException e) {
              saved.completeExceptionally(e);
            }
          });
      saved.get(5, TimeUnit.SECONDS);
      writer.shutdown(); // after the last save: it is written before the writer stops
      if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("player state not written within 5 s at close");
      }
      journal.sync();
    } catch (Exception e) {
      log.warn("could not save player state at close", e);
    }
    closed = true;
    executor.shutdownNow();
    engine.close();
    try {
      journal.close();
    } catch (IOException e) {
      log.debug("closing the state journal: {}", e.getMessage());
    }
  }

  // ---- player commands ----

  public CompletionStage<PlayerReply> state() {
    return lightPlayer(() -> QUERY);
  }

  public CompletionStage<PlayerReply> play(String itemId, Origin origin) {
    return player(() -> playback.play(itemId, origin));
  }

  public CompletionStage<PlayerReply> pause(Origin origin) {
    return player(() -> playback.pause(origin));
  }

  public CompletionStage<PlayerReply> toggle(Origin origin) {
    return player(() -> playback.toggle(origin));
  }

  public CompletionStage<PlayerReply> stop(Origin origin) {
    return player(() -> playback.stop(origin));
  }

  public CompletionStage<PlayerReply> next(Origin origin) {
    return player(() -> playback.next(origin));
  }

  public CompletionStage<PlayerReply> previous(Origin origin) {
    return player(() -> playback.previous(origin));
  }

  public CompletionStage<PlayerReply> seek(long positionMs, Origin origin) {
    return player(() -> playback.seek(positionMs, origin));
  }

  public CompletionStage<PlayerReply> volume(int volume, Origin origin) {
    return lightPlayer(new SetVolume(modes, volume, origin));
  }

  /**
   * The volume command as a class, not a lambda: with the C1-only JIT a lambda that captures three
   * values is made through a method handle ({@code Unsafe.allocateInstance}), about 0.7 % of a
   * volume command's CPU.
   */
  private record SetVolume(ModeCommands modes, int volume, Origin origin) implements LongSupplier {
    @Override
    public long getAsLong() {
      return modes.volume(volume, origin);
    }
  }

  public CompletionStage<PlayerReply> mute(boolean on, Origin origin) {
    return lightPlayer(() -> modes.mute(on, origin));
  }

  public CompletionStage<PlayerReply> shuffle(boolean on, Origin origin) {
    return player(() -> modes.shuffle(on, origin));
  }

  public CompletionStage<PlayerReply> repeat(RepeatMode mode, Origin origin) {
    return player(() -> modes.repeat(mode, origin));
  }

  public CompletionStage<PlayerReply> single(boolean on, Origin origin) {
    return single(on, false, origin);
  }

  /**
   * Single on or off; with {@code oneshot} (and {@code on}) only until playback stops at the end of
   * the current item, then off by itself (MPD's "oneshot").
   */
  public CompletionStage<PlayerReply> single(boolean on, boolean oneshot, Origin origin) {
    return player(() -> modes.single(on, oneshot, origin));
  }

  public CompletionStage<PlayerReply> consume(boolean on, Origin origin) {
    return consume(on, false, origin);
  }

  /**
   * Consume on or off; with {@code oneshot} (and {@code on}) only until one played item has been
   * removed, then off by itself (MPD 0.24's "oneshot").
   */
  public CompletionStage<PlayerReply> consume(boolean on, boolean oneshot, Origin origin) {
    return lightPlayer(() -> modes.consume(on, oneshot, origin));
  }

  // ---- queue commands ----

  public CompletionStage<QueueReply> queue() {
    return queueReply(() -> new QueueCommands.Result(QUERY, List.of()));
  }

  public CompletionStage<QueueReply> setQueue(
      List<String> paths, List<String> trackIds, Origin origin) {
    return queueReply(() -> queueCommands.set(paths, trackIds, origin));
  }

  public CompletionStage<QueueReply> append(
      List<String> paths, List<String> trackIds, Origin origin) {
    return queueReply(() -> queueCommands.append(paths, trackIds, origin));
  }

  public CompletionStage<QueueReply> insert(
      int index, List<String> paths, List<String> trackIds, Origin origin) {
    return queueReply(() -> queueCommands.insert(index, paths, trackIds, origin));
  }

  public CompletionStage<QueueReply> move(String itemId, int toIndex, Origin origin) {
    return queueReply(() -> queueCommands.move(itemId, toIndex, origin));
  }

  /**
   * Sets the priority (0 to 255, MPD's {@code prio}) of queue entries: while shuffle is on, entries
   * still to come play in descending priority; an entry's priority goes back to 0 when it starts
   * playing.
   */
  public CompletionStage<QueueReply> priority(List<String> itemIds, int priority, Origin origin) {
    return queueReply(() -> queueCommands.priority(itemIds, priority, origin));
  }

  public CompletionStage<QueueReply> remove(List<String> itemIds, Origin origin) {
    return queueReply(() -> queueCommands.remove(itemIds, origin));
  }

  public CompletionStage<QueueReply> clear(Origin origin) {
    return queueReply(() -> queueCommands.clear(origin));
  }

  // ---- output commands ----

  public CompletionStage<OutputsReply> outputsState() {
    return outputsReply(() -> QUERY);
  }

  public CompletionStage<OutputsReply> enableOutput(String outputId, boolean on, Origin origin) {
    return outputsReply(() -> outputCommands.enable(outputId, on, origin));
  }

  public CompletionStage<OutputsReply> replayGain(ReplayGainConfig config, Origin origin) {
    return outputsReply(
        () -> {
          long seq = outputCommands.replayGain(config, origin);
          if (seq >= 0) {
            replayGainListener.accept(outputCommands.state().getReplayGain(), origin);
          }
          return seq;
        });
  }

  /**
   * Tells {@code l} every ReplayGain change (with its origin), and the value restored at start
   * (origin null). Called on the player thread; must not block. Set before {@link #start}.
   */
  public void onReplayGainChanged(BiConsumer<ReplayGainConfig, Origin> l) {
    replayGainListener = l;
  }

  /**
   * Uses {@code c} for every join decided from now on; the join after the current item is decided
   * again at once (unless its overlap has begun). Any thread; returns at once.
   */
  public void setCrossfade(Crossfade c) {
    onThread(
        () -> {
          playback.crossfade = c;
          playback.reprime();
        });
  }

  // ---- internals ----

  /**
   * The seq a reply carries: the event the command caused ({@code seq}); for a command that changed
   * nothing ({@code seq} -1), the newest event of {@code topic}, which a client following the topic
   * has; for a GET, the current seq (a barrier, the state as of now).
   */
  private long replySeq(long seq, Topic topic) {
    if (seq == QUERY) {
      return publisher.currentSeq();
    }
    return seq < 0 ? publisher.newestSeq(topic) : seq;
  }

  private CompletionStage<OutputsReply> outputsReply(LongSupplier command) {
    return call(
        () -> {
          long seq = command.getAsLong();
          if (seq >= 0) {
            changed();
          }
          return OutputsReply.newBuilder()
              .setSeq(replySeq(seq, Topic.OUTPUTS))
              .setState(outputCommands.state())
              .build();
        });
  }

  private CompletionStage<PlayerReply> player(LongSupplier command) {
    return call(new ReplyOf(this, command, false));
  }

  /**
   * {@link #player} for a command that only sets a value and publishes (no file, library or decoder
   * work besides the journal's append): run at once on the caller's thread when the player is idle
   * ({@link PlayerThread#runNowOr}).
   */
  private CompletionStage<PlayerReply> lightPlayer(LongSupplier command) {
    return call(new ReplyOf(this, command, true), true);
  }

  /**
   * Runs a player command and makes its reply: its seq and the state after it. A class, not a
   * lambda: under C1 a capturing lambda is made through a method handle each time (about 0.6 % of a
   * volume command's CPU).
   *
   * @param published whether the state the command's own PlayerChanged carried is the reply's: true
   *     for a light command, whose publish is its last step, so the state is not built again
   */
  private record ReplyOf(Player player, LongSupplier command, boolean published)
      implements Supplier<PlayerReply> {
    @Override
    public PlayerReply get() {
      long seq = command.getAsLong();
      Playback playback = player.playback;
      PlayerState state =
          published && seq >= 0 && seq == playback.publishedSeq()
              ? playback.publishedState()
              : playback.state();
      return PlayerReply.newBuilder()
          .setSeq(player.replySeq(seq, Topic.PLAYER))
          .setState(state)
          .build();
    }
  }

  private CompletionStage<QueueReply> queueReply(Supplier<QueueCommands.Result> command) {
    return call(
        () -> {
          QueueCommands.Result r = command.get();
          return QueueReply.newBuilder()
              .setSeq(replySeq(r.seq(), Topic.QUEUE))
              .setQueue(StatePublisher.snapshot(queue.items()))
              .addAllItemIds(r.itemIds())
              .build();
        });
  }

  /**
   * The library stored (or re-read) these files: queue entries playing one of them take its catalog
   * data now (track id, tags, ReplayGain, album position), one QueueChanged.updated with cause
   * OPENED says so, and a PlayerChanged follows when the current entry is among them. The
   * ReplayGain of a play already handed to the engine stays; the next play of the entry uses the
   * new one. Any thread; returns at once.
   *
   * @param files real paths, as the library stores them
   */
  public void cataloged(Collection<Path> files) {
    if (files.isEmpty()) {
      return;
    }
    Set<Path> set = Set.copyOf(files);
    onThread(
        () -> {
          if (queueCommands.recatalog(set)) {
            playback.publish(Cause.CAUSE_OPENED, StatePublisher.DAEMON);
          }
        });
  }

  /**
   * Runs {@code task} on the player thread. The fan-out of the events it publishes waits for the
   * reply the calling edge has open, or for the task's end ({@link StateLane#holdingWakes}).
   */
  <T> CompletionStage<T> call(Supplier<T> task) {
    return call(task, false);
  }

  /**
   * {@link #call(Supplier)}; with {@code light}, on the calling thread when the player is idle (the
   * stage is then complete when this returns). A light task must never block.
   */
  private <T> CompletionStage<T> call(Supplier<T> task, boolean light) {
    CompletableFuture<T> f = new CompletableFuture<>();
    Runnable run = lane.holdingWakes(new Completing<>(f, task));
    try {
      if (light && !closed) {
        thread.runNowOr(run);
      } else {
        thread.execute(run);
      }
    } catch (RuntimeException e) {
      f.completeExceptionally(e);
    }
    return f;
  }

  /** Completes {@code f} with the task's result (a class: see {@link ReplyOf}). */
  private record Completing<T>(CompletableFuture<T> f, Supplier<T> task) implements Runnable {
    @Override
    public void run() {
      try {
        f.complete(task.get());
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    }
  }

  /** How many light commands ran on their caller's thread; for tests. */
  int ranOnCaller() {
    return thread.ranOnCaller();
  }

  /** True when the player has no task queued or running; for tests. */
  boolean idle() {
    return thread.idle();
  }

  private void onThread(Runnable r) {
    if (closed) {
      return;
    }
    try {
      thread.execute(
          () -> {
            try {
              r.run();
            } catch (RuntimeException e) {
              log.error("player failed handling an engine report", e);
            }
          });
    } catch (RuntimeException e) {
      // Shut down: nothing to report to.
    }
  }

  /** After every published change: update the transport view and save soon. */
  private void changed() {
    transport.update(
        playback.current == null
            ? TransportSource.IDLE
            : new TransportSource.Now(
                playback.current.itemId(),
                playback.current.durationMs(),
                playback.state == PlaybackState.PLAYBACK_STATE_PLAYING));
    journal();
    if (pendingSave == null || pendingSave.isDone()) {
      pendingSave = thread.schedule(this::save, config.saveDelayMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Appends the state to the journal before the command's reply goes out (a plain write: a killed
   * process loses nothing), with the queue only when it changed; forced to disk within {@value
   * #JOURNAL_SYNC_MILLIS} ms.
   */
  private void journal() {
    appendJournal();
    if (pendingSync == null || pendingSync.isDone()) {
      pendingSync =
          thread.schedule(
              () -> {
                if (!writer.isShutdown()) {
                  writer.execute(this::syncJournal);
                }
              },
              JOURNAL_SYNC_MILLIS,
              TimeUnit.MILLISECONDS);
    }
  }

  /** One journal record of the state, with the queue only when it changed; false when it failed. */
  private boolean appendJournal() {
    boolean withQueue = queue.version() != journaledQueue;
    try {
      journal.append(store.snapshot(ids.ceiling(), withQueue), withQueue);
      journaledQueue = queue.version();
      return true;
    } catch (IOException e) {
      log.error("could not write the player state journal", e);
      return false;
    }
  }

  private void syncJournal() {
    try {
      journal.sync();
    } catch (IOException e) {
      log.error("could not force the player state journal to disk", e);
    }
  }

  /**
   * The position while playing, every {@link PlayerConfig#positionSaveMillis}: one journal record
   * without the queue, written on this thread with one plain write (a kill -9 loses nothing once it
   * returns) and forced to disk with every {@value #POSITION_SYNC_RECORDS}th, rather than a whole
   * state file rewritten, forced, renamed and its folder forced each time (the state writer's fsync
   * and rename were most of the daemon's cost beside decoding and output while playing). So a power
   * cut can lose up to that many records of position, never a command's change (forced within
   * {@value #JOURNAL_SYNC_MILLIS} ms). After {@value #POSITION_RECORDS} records without a save in
   * between, a save holds them and empties the journal.
   */
  private void savePosition() {
    if (journal.appended() >= POSITION_RECORDS) {
      save();
      return;
    }
    if (!appendJournal()) {
      return;
    }
    if (++positionRecords % POSITION_SYNC_RECORDS == 0 && !writer.isShutdown()) {
      writer.execute(this::syncJournal);
    }
  }

  /**
   * Takes the state on the player thread and writes it on the writer thread, in order; then empties
   * the journal if nothing was journaled since the snapshot.
   */
  private void save() {
    StateFile.Saved snapshot = store.snapshot(ids.ceiling());
    long upTo = journal.appended();
    if (!writer.isShutdown()) {
      writer.execute(
          () -> {
            if (store.write(snapshot)) {
              try {
                journal.compact(upTo);
              } catch (IOException e) {
                log.warn("could not empty the player state journal: {}", e.getMessage());
              }
            }
          });
    }
  }

  private void restore() {
    saved.ifPresent(store::apply);
    replayGainListener.accept(outputCommands.state().getReplayGain(), null);
    engine.setGain(VolumeRamp.gainFor(playback.volume, playback.muted));
    publisher.queue(
        QueueChanged.newBuilder()
            .setReplaced(
                QueueChanged.Replaced.newBuilder()
                    .addAllItems(StatePublisher.items(queue.items()))),
        queue.items(),
        Cause.CAUSE_RESTORE,
        StatePublisher.DAEMON);
    playback.publish(Cause.CAUSE_RESTORE, StatePublisher.DAEMON);
    outputCommands.publish(Cause.CAUSE_RESTORE, StatePublisher.DAEMON);
  }

  /** Hands every engine report to the player thread. */
  private final class Listener implements EngineListener {
    @Override
    public void decoderAdvanced(Play from, Play to) {
      onThread(() -> playback.decoderAdvanced(from, to));
    }

    @Override
    public void playFailed(Play play, String reason) {
      onThread(() -> playback.playFailed(play, reason));
    }

    @Override
    public void playDamaged(Play play, String what) {
      onThread(() -> playback.playDamaged(play, what));
    }

    @Override
    public void playStarted(Play play, long itemFrame, long heardMicros) {
      onThread(() -> playback.playStarted(play));
    }

    @Override
    public void endOfStream(long generation) {
      onThread(() -> playback.endOfStream(generation));
    }

    @Override
    public void outputFailed(String outputId, String reason) {
      onThread(
          () -> {
            outputCommands.failed(outputId, reason);
            playback.outputFailed(outputId, reason);
          });
    }

    @Override
    public void outputsChanged() {
      onThread(outputCommands::refresh);
    }
  }
}
