package io.tonearm.daemon.lyrics;

import io.tonearm.daemon.audio.PlaybackClock;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.errors.DomainThread;
import io.tonearm.daemon.events.EncodedEvent;
import io.tonearm.daemon.events.EventHub;
import io.tonearm.daemon.events.StateLane;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.library.LyricsStore;
import io.tonearm.daemon.library.TimedLyrics;
import io.tonearm.daemon.persist.CrcFile;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.LyricLine;
import io.tonearm.proto.v1.LyricWord;
import io.tonearm.proto.v1.LyricsChanged;
import io.tonearm.proto.v1.LyricsCue;
import io.tonearm.proto.v1.LyricsDocument;
import io.tonearm.proto.v1.LyricsOffsetRequest;
import io.tonearm.proto.v1.LyricsPresentation;
import io.tonearm.proto.v1.LyricsPresentationRequest;
import io.tonearm.proto.v1.LyricsReply;
import io.tonearm.proto.v1.LyricsState;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.PlaybackState;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.QueueItem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single owner of one zone's topic "lyrics" (each zone has its own). When the zone's player's
 * current item changes (seen on the hub), it loads the item's lyrics from the library (sidecar or
 * tags) and the track's offset, and publishes them once ({@code loaded}). When the line or word
 * heard changes it publishes a {@code cue} stamped with the server time at which that line's start
 * (plus the offset) is heard, so that every device in the room shows it in step with the sound. The
 * offset is set per track over the API and kept in the library (every zone hearing the track
 * follows it); the presentation settings (display size) are the zone's (its room's), kept in {@code
 * lyrics.pb} in its state directory.
 *
 * <p>It wakes only when something can have changed: on each of its zone's player events (item,
 * play, pause, seek), on an offset change and when lyrics are loaded, it reads the output clock
 * once; and while timed lyrics are being heard it sets one timer for the moment the output clock
 * will reach the next line's (or word's) start, reads the clock then and sets the next one. A track
 * without timed lyrics, or a paused player, costs no wake-up at all.
 *
 * <p>Thread-safe: everything runs on the lyrics thread (one may serve every zone), holding this
 * object's lock; commands return stages.
 */
public final class Lyrics implements AutoCloseable, EventHub.Listener {

  private static final Logger log = LoggerFactory.getLogger(Lyrics.class);

  /**
   * Shortest timer, us: a clock that has not yet reached a line's start when the timer fires is
   * read again after the time still left, but never sooner than this.
   */
  static final long MIN_WAKE_US = 1_000;

  /**
   * While timed lyrics are loaded for an item the output clock does not hear yet (a play just
   * started), the clock is read again after this many us, until it hears that item or something
   * else happens.
   */
  static final long RECHECK_US = 100_000;

  static final List<String> SIZES = List.of("small", "medium", "large", "huge");

  private final StateLane lane;
  private final LyricsStore tracks;
  private final Supplier<PlaybackClock.Position> clock;
  private final Path file;
  private final CueTracker cues = new CueTracker();
  private final ScheduledThreadPoolExecutor thread;
  private final boolean ownThread;
  private final OffsetListener offsetListener;
  private boolean closed; // guarded by this
  private volatile String seenItem = "";
  private volatile String seenTrack = "";
  private volatile boolean playing;
  private final AtomicLong timerWakeUps = new AtomicLong();
  private ScheduledFuture<?> timer;
  private long timerAtUs = -1;
  // written on the lyrics thread only; volatile for published()'s look at it
  private volatile LyricsDocument document = LyricsDocument.getDefaultInstance();
  private LyricsCue cue = LyricsCue.newBuilder().setLineIndex(-1).setWordIndex(-1).build();
  private LyricsPresentation presentation =
      LyricsPresentation.newBuilder().setDisplaySize("medium").build();

  /**
   * Lyrics with a thread of their own, presentation kept in {@code dataDir}, telling no one of
   * offsets set (tests).
   *
   * @param clock what the output clock says is heard now (the player's {@link PlaybackClock#now})
   */
  public Lyrics(
      Path dataDir, StateLane lane, LyricsStore tracks, Supplier<PlaybackClock.Position> clock) {
    this(dataDir, lane, tracks, clock, null, (from, track, offsetMs, origin) -> {});
  }

  /**
   * The lyrics of one zone's player: restores the presentation from {@code lyrics.pb} in {@code
   * stateDir}.
   *
   * @param stateDir the zone's state directory (the data dir for "default", else {@code
   *     zones/<id>/}): where the presentation settings are kept
   * @param lane the zone's state lane: events and snapshots carry its zone
   * @param tracks the library's lyrics and per-track offsets (shared by every zone)
   * @param clock what the zone's output clock says is heard now (its player's {@link
   *     PlaybackClock#now})
   * @param thread the lyrics thread, shared by every zone's lyrics and shut down by its owner (it
   *     must remove cancelled tasks); null for a thread of this instance's own, shut down by {@link
   *     #close}
   * @param offsetListener told of every offset a command of this zone changed in the library, so
   *     that the other zones hearing that track follow ({@link #trackOffsetSet})
   */
  public Lyrics(
      Path stateDir,
      StateLane lane,
      LyricsStore tracks,
      Supplier<PlaybackClock.Position> clock,
      ScheduledThreadPoolExecutor thread,
      OffsetListener offsetListener) {
    this.lane = lane;
    this.tracks = tracks;
    this.clock = clock;
    this.file = stateDir.resolve("lyrics.pb");
    this.ownThread = thread == null;
    this.thread = thread != null ? thread : newThread();
    this.offsetListener = offsetListener;
    Optional<byte[]> saved = CrcFile.read(file, 0);
    if (saved.isPresent()) {
      try {
        LyricsPresentation p = LyricsPresentation.parseFrom(saved.get());
        if (SIZES.contains(p.getDisplaySize())) {
          presentation = p;
        }
      } catch (IOException e) {
        log.warn("saved lyrics presentation dropped: {}", e.getMessage());
      }
    }
  }

  /** Reads the clock once (the player's restored state); from then on player events drive it. */
  public void start() {
    submit(this::follow);
  }

  /**
   * Hub listener: notes the player's current item and whether it plays, and has the lyrics thread
   * load that item's lyrics (when it changed) and read the clock (called under the hub's lock).
   */
  @Override
  public void published(EncodedEvent event) {
    if (event.topic() != Topic.PLAYER || !event.envelope().hasPlayer()) {
      return;
    }
    PlayerState state = event.envelope().getPlayer().getState();
    QueueItem current = state.getCurrent();
    String item = current.getItemId();
    String track = current.getTrack().getTrackId();
    playing = state.getState() == PlaybackState.PLAYBACK_STATE_PLAYING;
    if (!item.equals(seenItem) || !track.equals(seenTrack)) {
      seenItem = item;
      seenTrack = track;
      submit(
          () -> {
            load(item, track);
            follow();
          });
    } else if (timedOrNotLoaded(item, track)) {
      submit(this::follow);
    }
  }

  /**
   * Whether an event that keeps the player's item needs the lyrics thread. Not when that item's
   * lyrics are loaded and untimed: follow would read the clock and stop there (no timer, no cue),
   * so a volume, mute or mode event on such a track wakes no thread.
   */
  private boolean timedOrNotLoaded(String item, String track) {
    LyricsDocument d = document;
    return d.getTimed() || !d.getItemId().equals(item) || !d.getTrackId().equals(track);
  }

  /** The snapshot a new subscriber gets. */
  public synchronized Envelope.Builder snapshot() {
    return Envelope.newBuilder()
        .setLyrics(LyricsChanged.newBuilder().setSnapshot(state()).setCause(Cause.CAUSE_SNAPSHOT));
  }

  public CompletionStage<LyricsReply> get() {
    return on(this::queryReply);
  }

  /** Sets a track's offset (the current item's when no track is named). */
  public CompletionStage<LyricsReply> setOffset(LyricsOffsetRequest r, Origin origin) {
    return on(() -> applyOffset(r, origin));
  }

  public CompletionStage<LyricsReply> setPresentation(LyricsPresentationRequest r, Origin origin) {
    return on(() -> applyPresentation(r, origin));
  }

  /** Reads the clock now, on the lyrics thread, as a player event or a timer would. */
  public CompletionStage<LyricsReply> tick() {
    return on(
        () -> {
          follow();
          return reply();
        });
  }

  /**
   * When the timer is set to read the clock next, us of the server clock (the time base of {@link
   * PlaybackClock.Position#atMicros}), or -1 when none is set. Lyrics thread state, for tests.
   */
  synchronized long timerAtUs() {
    return timerAtUs;
  }

  /** Times the timer has read the clock since the start (for /metrics and the bench). */
  public long timerWakeUps() {
    return timerWakeUps.get();
  }

  /** Loads the lyrics of {@code itemId} now, as a player event would (tests, start-up). */
  public CompletionStage<LyricsReply> itemChanged(String itemId, String trackId) {
    seenItem = itemId;
    seenTrack = trackId;
    return on(
        () -> {
          load(itemId, trackId);
          return reply();
        });
  }

  /**
   * A command of another zone set track {@code trackId}'s offset to {@code offsetMs} in the
   * library: if this zone hears that track, its document and cue follow and it publishes an {@code
   * offset} event with that command's origin, as for its own command. Any thread.
   */
  public void trackOffsetSet(String trackId, long offsetMs, Origin origin) {
    submit(
        () -> {
          if (trackId.equals(document.getTrackId()) && offsetMs != document.getOffsetMs()) {
            offsetChanged(offsetMs, origin);
          }
        });
  }

  /** A lyrics thread (daemon thread {@code tonearm-lyrics}), for one or every zone. */
  public static ScheduledThreadPoolExecutor newThread() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread th = new Thread(r, "tonearm-lyrics");
              th.setDaemon(true);
              return th;
            });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  /**
   * Follows the clock no more, takes no more commands (they fail with {@code unavailable}),
   * publishes and writes nothing more: after this, the zone's state directory may be deleted.
   */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      cancelTimer();
    }
    if (ownThread) {
      thread.shutdownNow();
    }
  }

  /** How a zone's lyrics tell the daemon that a command changed a track's offset. */
  @FunctionalInterface
  public interface OffsetListener {
    /**
     * Track {@code trackId}'s offset is now {@code offsetMs} in the library, set by a command of
     * {@code from} with {@code origin}. Called on the lyrics thread, holding {@code from}'s lock:
     * must not block (hand it to the other zones' {@link #trackOffsetSet}).
     */
    void offsetSet(Lyrics from, String trackId, long offsetMs, Origin origin);
  }

  private void submit(Runnable r) {
    try {
      thread.execute(
          () -> {
            synchronized (this) {
              if (closed) {
                return;
              }
              try {
                r.run();
              } catch (RuntimeException e) {
                log.warn("lyrics: {}", e.toString()); // the next item or tick tries again
              }
            }
          });
    } catch (RejectedExecutionException e) {
      // shutting down
    }
  }

  private <T> CompletionStage<T> on(Supplier<T> command) {
    return DomainThread.run(
        thread,
        this,
        () -> {
          if (closed) {
            throw new DomainException(
                DomainException.Kind.UNAVAILABLE, "unavailable", "these lyrics are closed");
          }
          return command.get();
        });
  }

  private void load(String itemId, String trackId) {
    if (itemId.equals(document.getItemId()) && trackId.equals(document.getTrackId())) {
      return;
    }
    TimedLyrics l;
    long offset;
    try {
      l = trackId.isEmpty() ? TimedLyrics.NONE : tracks.lyricsOf(trackId);
      offset = trackId.isEmpty() ? 0 : tracks.offsetMs(trackId);
    } catch (RuntimeException e) {
      log.warn("lyrics of track {} not read: {}", trackId, e.toString());
      l = TimedLyrics.NONE;
      offset = 0;
    }
    document = document(itemId, trackId, l, offset);
    cues.load(l);
    cue = LyricsCue.newBuilder().setItemId(itemId).setLineIndex(-1).setWordIndex(-1).build();
    lastLyrics = l;
    publish(LyricsChanged.newBuilder().setLoaded(document), Cause.CAUSE_AUTO_ADVANCE, null);
  }

  private TimedLyrics lastLyrics = TimedLyrics.NONE;

  /**
   * Reads the clock: loads the heard item's lyrics if they were missed, cues the line heard, and
   * sets the timer for the next line's start while timed lyrics are heard and the player plays.
   * Lyrics thread, under this object's lock.
   */
  private void follow() {
    cancelTimer();
    PlaybackClock.Position p = clock.get();
    if (p.play() == null) {
      return;
    }
    String heard = p.play().itemId();
    if (!heard.equals(document.getItemId()) && heard.equals(seenItem)) {
      load(heard, seenTrack); // the item heard is the player's current one: its lyrics, if missed
    }
    if (!document.getTimed()) {
      return;
    }
    if (!heard.equals(document.getItemId())) {
      if (playing) {
        setTimer(RECHECK_US, p.atMicros());
      }
      return;
    }
    long offsetUs = document.getOffsetMs() * 1000;
    if (cues.advance(p.micros(), p.atMicros(), offsetUs)) {
      cue =
          LyricsCue.newBuilder()
              .setItemId(document.getItemId())
              .setLineIndex(cues.line())
              .setWordIndex(cues.word())
              .setPresentationUs(cues.presentationUs())
              .build();
      publish(LyricsChanged.newBuilder().setCue(cue), Cause.CAUSE_AUTO_ADVANCE, null);
    }
    if (!playing) {
      return;
    }
    long t = p.micros() - offsetUs;
    long next = cues.nextStartAfter(t);
    if (next != Long.MAX_VALUE) {
      setTimer(next - t, p.atMicros());
    }
  }

  private void setTimer(long delayUs, long readAtUs) {
    long d = Math.max(MIN_WAKE_US, delayUs);
    timerAtUs = readAtUs + d;
    try {
      timer =
          thread.schedule(
              () -> {
                synchronized (this) {
                  if (closed) {
                    return;
                  }
                  timer = null;
                  timerAtUs = -1;
                  timerWakeUps.incrementAndGet();
                  try {
                    follow();
                  } catch (RuntimeException e) {
                    log.warn("lyrics: {}", e.toString()); // the next player event tries again
                  }
                }
              },
              d,
              TimeUnit.MICROSECONDS);
    } catch (RejectedExecutionException e) {
      timerAtUs = -1; // shutting down
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    timerAtUs = -1;
  }

  private LyricsReply applyOffset(LyricsOffsetRequest r, Origin origin) {
    String track = r.getTrackId().isEmpty() ? document.getTrackId() : r.getTrackId();
    if (track.isEmpty()) {
      throw DomainException.conflict("no track is being heard; name one with track_id");
    }
    long before =
        track.equals(document.getTrackId()) ? document.getOffsetMs() : tracks.offsetMs(track);
    tracks.setOffsetMs(track, r.getOffsetMs()); // 404 / 422 before anything changes
    if (before == r.getOffsetMs()) {
      return reply();
    }
    offsetListener.offsetSet(this, track, r.getOffsetMs(), origin); // other zones hearing it
    if (!track.equals(document.getTrackId())) {
      return reply(); // kept for when it plays; nothing heard here changed
    }
    return offsetChanged(r.getOffsetMs(), origin);
  }

  /** The track heard has offset {@code offsetMs} now: publishes it and cues under it. */
  private LyricsReply offsetChanged(long offsetMs, Origin origin) {
    document = document.toBuilder().setOffsetMs(offsetMs).build();
    cues.load(lastLyrics);
    LyricsReply reply =
        publish(LyricsChanged.newBuilder().setOffset(document), Cause.CAUSE_COMMAND, origin);
    follow(); // the line heard under the new offset, and the timer for the next one
    return reply;
  }

  private LyricsReply applyPresentation(LyricsPresentationRequest r, Origin origin) {
    String size = r.getDisplaySize();
    if (!SIZES.contains(size)) {
      throw new DomainException(
          DomainException.Kind.UNPROCESSABLE,
          "out_of_range",
          "display_size must be one of " + SIZES + ", got " + size,
          Map.of("field", "display_size"));
    }
    if (size.equals(presentation.getDisplaySize())) {
      return reply();
    }
    presentation = presentation.toBuilder().setDisplaySize(size).build();
    try {
      CrcFile.write(file, presentation.toByteArray());
    } catch (IOException e) {
      log.error("lyrics presentation not saved", e);
    }
    return publish(
        LyricsChanged.newBuilder().setPresentation(presentation), Cause.CAUSE_COMMAND, origin);
  }

  private LyricsReply publish(LyricsChanged.Builder change, Cause cause, Origin origin) {
    change.setCause(cause);
    if (origin != null) {
      change.setOrigin(origin);
    }
    long seq =
        lane.publish(
            Topic.LYRICS,
            Envelope.newBuilder().setLyrics(change),
            Envelope.newBuilder()
                .setLyrics(
                    LyricsChanged.newBuilder()
                        .setSnapshot(state())
                        .setCause(Cause.CAUSE_SNAPSHOT)));
    return LyricsReply.newBuilder().setSeq(seq).setState(state()).build();
  }

  private LyricsReply reply() {
    return LyricsReply.newBuilder().setSeq(lane.newestSeq(Topic.LYRICS)).setState(state()).build();
  }

  /** The reply of GET: as of the current seq (the newest event of any topic). */
  private LyricsReply queryReply() {
    return LyricsReply.newBuilder().setSeq(lane.currentSeq()).setState(state()).build();
  }

  private LyricsState state() {
    return LyricsState.newBuilder()
        .setLyrics(document)
        .setCue(cue)
        .setPresentation(presentation)
        .build();
  }

  private static LyricsDocument document(
      String itemId, String trackId, TimedLyrics l, long offsetMs) {
    LyricsDocument.Builder d =
        LyricsDocument.newBuilder()
            .setItemId(itemId)
            .setTrackId(trackId)
            .setSource(l.source())
            .setTimed(l.timed())
            .addAllProblems(l.problems())
            .setOffsetMs(offsetMs);
    for (TimedLyrics.Line line : l.lines()) {
      LyricLine.Builder b = LyricLine.newBuilder().setStartMs(line.startMs()).setText(line.text());
      for (TimedLyrics.Word w : line.words()) {
        b.addWords(LyricWord.newBuilder().setStartMs(w.startMs()).setText(w.text()));
      }
      d.addLines(b);
    }
    return d.build();
  }
}
