package io.tonearm.daemon.lyrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.audio.Play;
import io.tonearm.daemon.audio.PlaybackClock;
import io.tonearm.daemon.audio.WallClock;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.events.EncodedEvent;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.library.LyricsStore;
import io.tonearm.daemon.library.RecordingLane;
import io.tonearm.daemon.library.TimedLyrics;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.LyricsCue;
import io.tonearm.proto.v1.LyricsOffsetRequest;
import io.tonearm.proto.v1.LyricsPresentationRequest;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.PlaybackState;
import io.tonearm.proto.v1.PlayerChanged;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.QueueItem;
import io.tonearm.proto.v1.Track;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lyrics topic against a fake output clock that advances one 20 ms block per tick. */
class LyricsTest {

  static final long BLOCK_US = 20_000;
  static final long T0 = 1_700_000_000_000_000L; // server time at which item frame 0 is heard

  @TempDir Path data;
  final RecordingLane lane = new RecordingLane();
  final Map<String, Long> offsets = new HashMap<>();
  final Play play = new Play(1, "q1", 1f);
  volatile long positionUs;
  Lyrics lyrics;

  final LyricsStore store =
      new LyricsStore() {
        @Override
        public TimedLyrics lyricsOf(String trackId) {
          if (trackId.equals("plain")) {
            return new TimedLyrics("tag", false, List.of(), List.of());
          }
          return new TimedLyrics(
              "sidecar",
              true,
              List.of(
                  new TimedLyrics.Line(5_000, "Before", List.of()),
                  new TimedLyrics.Line(
                      12_340,
                      "The line",
                      List.of(
                          new TimedLyrics.Word(12_340, "The"),
                          new TimedLyrics.Word(12_800, "line"))),
                  new TimedLyrics.Line(20_000, "After", List.of())),
              List.of());
        }

        @Override
        public long offsetMs(String trackId) {
          return offsets.getOrDefault(trackId, 0L);
        }

        @Override
        public void setOffsetMs(String trackId, long offsetMs) {
          if (!trackId.equals("t1")) {
            throw DomainException.notFound("track", trackId);
          }
          offsets.put(trackId, offsetMs);
        }
      };

  /** The fake clock: position p (us) is heard at T0 + p, read in whole blocks as an output has. */
  PlaybackClock.Position heard() {
    long p = positionUs / BLOCK_US * BLOCK_US;
    return new PlaybackClock.Position(play, p * 48 / 1000, 48_000, T0 + p);
  }

  static <T> T join(CompletionStage<T> s) {
    try {
      return s.toCompletableFuture().join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  @AfterEach
  void tearDown() {
    lyrics.close();
  }

  /** Plays from {@code fromUs} to {@code toUs} block by block; the cues published meanwhile. */
  List<LyricsCue> play(long fromUs, long toUs) {
    int before = lane.matching(Envelope::hasLyrics).size();
    for (positionUs = fromUs; positionUs <= toUs; positionUs += BLOCK_US) {
      join(lyrics.tick());
    }
    List<Envelope> all = lane.matching(Envelope::hasLyrics);
    return all.subList(before, all.size()).stream()
        .filter(e -> e.getLyrics().hasCue())
        .map(e -> e.getLyrics().getCue())
        .toList();
  }

  static LyricsCue lineCue(List<LyricsCue> cues, int line) {
    return cues.stream()
        .filter(c -> c.getLineIndex() == line && c.getWordIndex() <= 0)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theLineAt12_34sIsCuedStampedWithinOneBlockAndMovesWithTheOffset() {
    lyrics = new Lyrics(data, lane, store, this::heard);
    join(lyrics.itemChanged("q1", "t1"));
    assertEquals(1, lane.matching(e -> e.getLyrics().hasLoaded()).size(), "lyrics sent once");
    assertEquals(
        3,
        lane.matching(e -> e.getLyrics().hasLoaded())
            .get(0)
            .getLyrics()
            .getLoaded()
            .getLinesCount());

    LyricsCue cue = lineCue(play(11_000_000, 13_000_000), 1);
    assertEquals(0, cue.getWordIndex(), "the first word begins with the line");
    long stamp = cue.getPresentationUs() - T0;
    assertTrue(Math.abs(stamp - 12_340_000) < BLOCK_US, "stamped at " + stamp);

    join(
        lyrics.setOffset(
            LyricsOffsetRequest.newBuilder().setOffsetMs(500).build(),
            Origin.getDefaultInstance()));
    assertEquals(500, offsets.get("t1"), "kept in the library");
    assertEquals(1, lane.matching(e -> e.getLyrics().hasOffset()).size(), "broadcast");
    List<LyricsCue> again = play(11_000_000, 13_500_000);
    LyricsCue moved = lineCue(again, 1);
    long movedStamp = moved.getPresentationUs() - T0;
    assertTrue(Math.abs(movedStamp - 12_840_000) < BLOCK_US, "with +500 ms at " + movedStamp);
    assertTrue(
        again.stream()
            .filter(c -> c.getLineIndex() == 1)
            .allMatch(c -> c.getPresentationUs() - T0 >= 12_820_000),
        "no cue of the line before its offset time: " + again);
  }

  @Test
  void wordsAreCuedAsTheyAreHeard() {
    lyrics = new Lyrics(data, lane, store, this::heard);
    join(lyrics.itemChanged("q1", "t1"));
    List<LyricsCue> cues = play(12_000_000, 13_000_000);
    LyricsCue second =
        cues.stream()
            .filter(c -> c.getLineIndex() == 1 && c.getWordIndex() == 1)
            .findFirst()
            .orElseThrow();
    assertTrue(Math.abs(second.getPresentationUs() - T0 - 12_800_000) < BLOCK_US);
  }

  @Test
  void nothingIsCuedForAnotherItemOrUntilTheClockMoves() {
    lyrics = new Lyrics(data, lane, store, this::heard);
    join(lyrics.itemChanged("q2", "t1")); // the clock hears q1
    assertTrue(play(11_000_000, 13_000_000).isEmpty());
  }

  @Test
  void presentationIsSharedStateKeptAcrossRestartsAndBadValuesAreRefused() {
    lyrics = new Lyrics(data, lane, store, this::heard);
    join(
        lyrics.setPresentation(
            LyricsPresentationRequest.newBuilder().setDisplaySize("large").build(),
            Origin.getDefaultInstance()));
    assertEquals(1, lane.matching(e -> e.getLyrics().hasPresentation()).size());
    DomainException bad =
        assertThrows(
            DomainException.class,
            () ->
                join(
                    lyrics.setPresentation(
                        LyricsPresentationRequest.newBuilder().setDisplaySize("gigantic").build(),
                        Origin.getDefaultInstance())));
    assertEquals("out_of_range", bad.code());
    assertThrows(
        DomainException.class,
        () ->
            join(
                lyrics.setOffset(
                    LyricsOffsetRequest.newBuilder().setOffsetMs(100).build(),
                    Origin.getDefaultInstance())),
        "no track heard yet");
    lyrics.close();
    lyrics = new Lyrics(data, new RecordingLane(), store, this::heard);
    assertEquals("large", join(lyrics.get()).getState().getPresentation().getDisplaySize());
  }

  /** The player's event for {@code item} of {@code track} in {@code state}, as the hub tells it. */
  static EncodedEvent playerEvent(String item, String track, PlaybackState state) {
    return new EncodedEvent(
        1,
        Topic.PLAYER,
        Envelope.newBuilder()
            .setPlayer(
                PlayerChanged.newBuilder()
                    .setState(
                        PlayerState.newBuilder()
                            .setState(state)
                            .setCurrent(
                                QueueItem.newBuilder()
                                    .setItemId(item)
                                    .setTrack(Track.newBuilder().setTrackId(track)))))
            .build());
  }

  @Test
  void aPlayerEventLoadsTheLyricsAndWhilePlayingSetsOneTimerForTheNextLineOrWord() {
    lyrics = new Lyrics(data, lane, store, this::heard);
    positionUs = 11_000_000;
    lyrics.published(playerEvent("q1", "t1", PlaybackState.PLAYBACK_STATE_PLAYING));
    join(lyrics.get()); // after the event's work on the lyrics thread
    assertEquals(1, lane.matching(e -> e.getLyrics().hasLoaded()).size(), "loaded, no tick");
    assertEquals(T0 + 12_340_000, lyrics.timerAtUs(), "when line 1 starts");

    positionUs = 12_400_000;
    join(lyrics.tick());
    assertEquals(T0 + 12_800_000, lyrics.timerAtUs(), "when its second word starts");

    lyrics.published(playerEvent("q1", "t1", PlaybackState.PLAYBACK_STATE_PAUSED));
    join(lyrics.get());
    assertEquals(-1, lyrics.timerAtUs(), "no timer while paused");

    lyrics.published(playerEvent("q1", "t1", PlaybackState.PLAYBACK_STATE_PLAYING));
    join(lyrics.get());
    assertEquals(T0 + 12_800_000, lyrics.timerAtUs(), "set again on play");
    join(
        lyrics.setOffset(
            LyricsOffsetRequest.newBuilder().setOffsetMs(500).build(),
            Origin.getDefaultInstance()));
    assertEquals(T0 + 12_840_000, lyrics.timerAtUs(), "line 1 plus the new offset");

    positionUs = 20_600_000;
    join(lyrics.tick());
    assertEquals(-1, lyrics.timerAtUs(), "no line left");
  }

  @Test
  void aTrackWithoutTimedLyricsIsLoadedOnItsEventAndNeverSetsATimer() {
    lyrics = new Lyrics(data, lane, store, this::heard);
    positionUs = 11_000_000;
    lyrics.published(playerEvent("q1", "plain", PlaybackState.PLAYBACK_STATE_PLAYING));
    join(lyrics.get());
    List<Envelope> loaded = lane.matching(e -> e.getLyrics().hasLoaded());
    assertEquals(1, loaded.size());
    assertEquals("plain", loaded.get(0).getLyrics().getLoaded().getTrackId());
    assertEquals(-1, lyrics.timerAtUs());
    lyrics.published(playerEvent("q1", "plain", PlaybackState.PLAYBACK_STATE_PLAYING));
    join(lyrics.tick());
    assertEquals(-1, lyrics.timerAtUs());
    assertEquals(0, lyrics.timerWakeUps());
  }

  @Test
  void anEventKeepingAnItemWithUntimedLyricsGivesTheLyricsThreadNothingToDo() {
    AtomicInteger tasks = new AtomicInteger(); // published()'s work and get()'s
    ScheduledThreadPoolExecutor thread =
        new ScheduledThreadPoolExecutor(1) {
          @Override
          public void execute(Runnable r) {
            tasks.incrementAndGet();
            super.execute(r);
          }
        };
    thread.setRemoveOnCancelPolicy(true);
    try {
      lyrics = new Lyrics(data, lane, store, this::heard, thread, (from, t, ms, o) -> {});
      lyrics.published(playerEvent("q1", "plain", PlaybackState.PLAYBACK_STATE_PLAYING));
      join(lyrics.get());
      assertEquals(2, tasks.get(), "the new item's load, then the get");
      // a volume change, then a pause: same item, its lyrics loaded and untimed
      lyrics.published(playerEvent("q1", "plain", PlaybackState.PLAYBACK_STATE_PLAYING));
      lyrics.published(playerEvent("q1", "plain", PlaybackState.PLAYBACK_STATE_PAUSED));
      assertEquals(2, tasks.get(), "nothing for the lyrics thread");

      lyrics.published(playerEvent("q1", "t1", PlaybackState.PLAYBACK_STATE_PLAYING));
      join(lyrics.get());
      lyrics.published(playerEvent("q1", "t1", PlaybackState.PLAYBACK_STATE_PAUSED));
      join(lyrics.get());
      assertEquals(6, tasks.get(), "timed lyrics: load, get, follow, get");
      assertEquals(-1, lyrics.timerAtUs(), "no timer while paused");
    } finally {
      lyrics.close();
      thread.shutdownNow();
    }
  }

  @Test
  void theTimerCuesALineWhenTheClockReachesItWithoutAnyTick() throws Exception {
    // A clock that runs in real time from 12.3 s at its first reading: line 1 (12.34 s) is then
    // 40 ms away, so only a later reading can cue it.
    AtomicLong firstRead = new AtomicLong();
    lyrics =
        new Lyrics(
            data,
            lane,
            store,
            () -> {
              long now = WallClock.micros();
              firstRead.compareAndSet(0, now);
              long p = 12_300_000 + (now - firstRead.get());
              return new PlaybackClock.Position(play, p * 48 / 1000, 48_000, now);
            });
    lyrics.published(playerEvent("q1", "t1", PlaybackState.PLAYBACK_STATE_PLAYING));
    List<LyricsCue> cues = List.of();
    for (int i = 0; i < 500 && cues.stream().noneMatch(c -> c.getLineIndex() == 1); i++) {
      Thread.sleep(10);
      cues =
          lane.matching(e -> e.getLyrics().hasCue()).stream()
              .map(e -> e.getLyrics().getCue())
              .toList();
    }
    LyricsCue first = lineCue(cues, 1);
    assertEquals(0, first.getWordIndex());
    assertTrue(lyrics.timerWakeUps() >= 1, "read by the timer");
    long stamped = first.getPresentationUs() - firstRead.get();
    assertTrue(Math.abs(stamped - 40_000) < 2_000, "stamped at line 1's time: " + stamped);
  }

  @Test
  void twoZonesKeepTheirOwnPresentationAndBothFollowAnOffsetOneSets() throws Exception {
    // Two zones' lyrics as the daemon wires them: one shared thread, state dirs of their own, an
    // offset set through one reaching the other.
    Path dirA = java.nio.file.Files.createDirectories(data.resolve("a"));
    Path dirB = java.nio.file.Files.createDirectories(data.resolve("b"));
    RecordingLane laneB = new RecordingLane();
    java.util.concurrent.ScheduledThreadPoolExecutor thread = Lyrics.newThread();
    Lyrics[] zones = new Lyrics[2];
    Lyrics.OffsetListener toOthers =
        (from, track, offsetMs, origin) -> {
          for (Lyrics z : zones) {
            if (z != from) {
              z.trackOffsetSet(track, offsetMs, origin);
            }
          }
        };
    Lyrics b;
    try {
      lyrics = zones[0] = new Lyrics(dirA, lane, store, this::heard, thread, toOthers);
      b = zones[1] = new Lyrics(dirB, laneB, store, this::heard, thread, toOthers);
      join(lyrics.itemChanged("q1", "t1"));
      join(b.itemChanged("q1", "t1"));

      // Presentation: b's own, kept in b's directory; a's unchanged and silent.
      Origin who = Origin.newBuilder().setClient("http:test").build();
      assertEquals(
          "huge",
          join(b.setPresentation(
                  LyricsPresentationRequest.newBuilder().setDisplaySize("huge").build(), who))
              .getState()
              .getPresentation()
              .getDisplaySize());
      assertEquals("medium", join(lyrics.get()).getState().getPresentation().getDisplaySize());
      assertEquals(0, lane.matching(e -> e.getLyrics().hasPresentation()).size());
      assertEquals(1, laneB.matching(e -> e.getLyrics().hasPresentation()).size());
      assertTrue(java.nio.file.Files.exists(dirB.resolve("lyrics.pb")));
      assertTrue(java.nio.file.Files.notExists(dirA.resolve("lyrics.pb")));

      // Offset: a's command; b hears the same track, so b's devices get it too, same origin.
      join(
          lyrics.setOffset(
              LyricsOffsetRequest.newBuilder().setTrackId("t1").setOffsetMs(250).build(), who));
      assertEquals(250, join(lyrics.get()).getState().getLyrics().getOffsetMs());
      Envelope seenByB = null;
      for (int i = 0; i < 500 && seenByB == null; i++) {
        List<Envelope> off = laneB.matching(e -> e.getLyrics().hasOffset());
        seenByB = off.isEmpty() ? null : off.get(0);
        Thread.sleep(i == 0 ? 0 : 10);
      }
      assertTrue(seenByB != null, "zone b published the offset");
      assertEquals(250, seenByB.getLyrics().getOffset().getOffsetMs());
      assertEquals(who, seenByB.getLyrics().getOrigin());
      assertEquals(250, join(b.get()).getState().getLyrics().getOffsetMs());
      assertEquals(1, laneB.matching(e -> e.getLyrics().hasOffset()).size(), "once");

      // A zone hearing another track is not told; it reads the offset when the track plays.
      join(b.itemChanged("q2", "plain"));
      join(
          lyrics.setOffset(
              LyricsOffsetRequest.newBuilder().setTrackId("t1").setOffsetMs(-100).build(), who));
      join(b.get()); // b's thread has run whatever a's command handed it
      assertEquals(1, laneB.matching(e -> e.getLyrics().hasOffset()).size());

      // A closed zone's lyrics take no command and publish nothing more.
      b.close();
      int before = laneB.events().size();
      b.trackOffsetSet("t1", 5, who);
      DomainException closed = assertThrows(DomainException.class, () -> join(b.get()));
      assertEquals("unavailable", closed.code());
      join(lyrics.get());
      assertEquals(before, laneB.events().size());
    } finally {
      thread.shutdownNow();
    }
  }
}
