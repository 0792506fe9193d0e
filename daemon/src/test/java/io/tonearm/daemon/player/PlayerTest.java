package io.tonearm.daemon.player;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tonearm.daemon.audio.GaplessJoint;
import io.tonearm.daemon.dsp.PcmTap;
import io.tonearm.daemon.dsp.TrackGain;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.errors.DomainException.Kind;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.library.TrackCatalog;
import io.tonearm.daemon.output.ManualOutput;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.OutputsChanged;
import io.tonearm.proto.v1.OutputsReply;
import io.tonearm.proto.v1.PlaybackState;
import io.tonearm.proto.v1.PlayerChanged;
import io.tonearm.proto.v1.PlayerReply;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.QueueChanged;
import io.tonearm.proto.v1.QueueReply;
import io.tonearm.proto.v1.RepeatMode;
import io.tonearm.proto.v1.ReplayGainConfig;
import io.tonearm.proto.v1.Track;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlayerTest {

  static final int RATE = 44_100;
  static final Origin ORIGIN =
      Origin.newBuilder().setClient("http:test").setCommand("test").build();

  @TempDir Path music;
  @TempDir Path data;
  FakeStateLane lane;
  ManualOutput out;
  Player player;

  @BeforeEach
  void setUp() throws IOException {
    TestWav.write(music.resolve("a.wav"), RATE, 1, TestWav.sine(440, RATE, 0, 30_000));
    TestWav.write(music.resolve("b.wav"), RATE, 1, TestWav.sine(440, RATE, 30_000, 60_000));
    TestWav.write(music.resolve("long.wav"), RATE, 1, TestWav.sine(440, RATE, 0, 2 * RATE));
  }

  @AfterEach
  void tearDown() {
    if (player != null) {
      player.close();
    }
  }

  private Player start(ManualOutput output) throws IOException {
    lane = new FakeStateLane();
    out = output;
    player =
        new Player(
            PlayerConfig.builder().musicFolder(music).dataDir(data).build(),
            lane,
            TrackCatalog.EMPTY,
            PcmTap.NONE,
            List.of(output));
    player.start();
    return player;
  }

  static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  static DomainException apiError(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof DomainException a) {
        return a;
      }
      throw e;
    }
    return fail("expected a DomainException");
  }

  static PlayerChanged playerEvent(FakeStateLane.Published p) {
    return p.event().getPlayer();
  }

  @Test
  void startPublishesRestoreSnapshotsOfEveryTopic() throws Exception {
    start(new ManualOutput("m"));
    List<FakeStateLane.Published> ev = lane.events();
    assertEquals(3, ev.size());
    assertEquals(Topic.OUTPUTS, ev.get(2).topic());
    assertEquals(Cause.CAUSE_RESTORE, ev.get(0).event().getQueue().getCause());
    assertEquals(Cause.CAUSE_RESTORE, ev.get(1).event().getPlayer().getCause());
    assertEquals(
        PlaybackState.PLAYBACK_STATE_STOPPED, ev.get(1).event().getPlayer().getState().getState());
  }

  @Test
  void appendPublishesInsertedItemsWithStableIds() throws Exception {
    start(new ManualOutput("m"));
    QueueReply r = await(player.append(List.of("a.wav", "b.wav"), List.of(), ORIGIN));
    assertEquals(List.of("1", "2"), r.getItemIdsList());
    FakeStateLane.Published q = lane.events().get((int) r.getSeq() - 1);
    assertEquals(Topic.QUEUE, q.topic());
    QueueChanged c = q.event().getQueue();
    assertEquals(0, c.getInserted().getIndex());
    assertEquals("a.wav", c.getInserted().getItems(0).getTrack().getPath());
    assertEquals(Cause.CAUSE_COMMAND, c.getCause());
    assertEquals(ORIGIN, c.getOrigin());
    assertEquals(2, q.snapshot().getQueue().getReplaced().getItemsCount());
    FakeStateLane.Published p = lane.events().get((int) r.getSeq());
    assertEquals(2, p.event().getPlayer().getState().getQueueLength());

    QueueReply r2 = await(player.insert(1, List.of("long.wav"), List.of(), ORIGIN));
    assertEquals(List.of("3"), r2.getItemIdsList());
    assertEquals(
        List.of("1", "3", "2"),
        r2.getQueue().getItemsList().stream().map(i -> i.getItemId()).toList());
  }

  @Test
  void badQueueRequestsChangeNothing() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("a.wav", "b.wav"), List.of(), ORIGIN));
    long seq = lane.currentSeq();
    assertEquals(Kind.NOT_FOUND, apiError(player.remove(List.of("1", "99"), ORIGIN)).kind());
    assertEquals(
        Kind.NOT_FOUND, apiError(player.append(List.of("missing.wav"), List.of(), ORIGIN)).kind());
    assertEquals(
        Kind.FORBIDDEN, apiError(player.append(List.of("/etc/passwd"), List.of(), ORIGIN)).kind());
    assertEquals(
        Kind.FORBIDDEN, apiError(player.append(List.of("../x.wav"), List.of(), ORIGIN)).kind());
    assertEquals(
        Kind.FORBIDDEN,
        apiError(player.append(List.of("a.wav", "/etc/hostname"), List.of(), ORIGIN)).kind());
    assertEquals(
        Kind.UNPROCESSABLE, apiError(player.insert(5, List.of("a.wav"), List.of(), ORIGIN)).kind());
    assertEquals(Kind.UNPROCESSABLE, apiError(player.move("1", 2, ORIGIN)).kind());
    assertEquals(Kind.NOT_FOUND, apiError(player.move("x", 0, ORIGIN)).kind());
    assertEquals(Kind.NOT_FOUND, apiError(player.append(List.of(), List.of("t1"), ORIGIN)).kind());
    assertEquals(Kind.UNPROCESSABLE, apiError(player.volume(101, ORIGIN)).kind());
    assertEquals(Kind.CONFLICT, apiError(player.seek(100, ORIGIN)).kind());
    assertEquals(Kind.NOT_FOUND, apiError(player.play("7", ORIGIN)).kind());
    assertEquals(seq, lane.currentSeq());
    assertEquals(2, await(player.queue()).getQueue().getItemsCount());
  }

  @Test
  void aCommandsReplyCompletesBeforeTheFanOutOfItsEventsIsWoken() throws Exception {
    start(new ManualOutput("m"));
    java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
    player.call(
        () -> {
          try {
            busy.await(); // the reply's dependent stage below is registered before the command runs
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        });
    CompletionStage<Boolean> replyInsideHold =
        player.volume(40, ORIGIN).thenApply(reply -> lane.holding());
    busy.countDown();
    assertTrue(await(replyInsideHold), "the reply completed after the wake-ups were let go");
    long seq = lane.currentSeq();
    assertTrue(lane.publishedHolding().contains(seq), "the volume event was not held");
  }

  @Test
  void aLightCommandOnAnIdlePlayerIsAppliedBeforeItReturnsAndABusyPlayerQueuesIt()
      throws Exception {
    start(new ManualOutput("m"));
    while (!player.idle()) {
      Thread.onSpinWait(); // the restore's task is finishing
    }
    int before = player.ranOnCaller();
    java.util.concurrent.CompletableFuture<PlayerReply> now =
        player.volume(30, ORIGIN).toCompletableFuture();
    assertTrue(now.isDone(), "the volume on an idle player was handed to the player thread");
    assertEquals(30, now.join().getState().getVolume());
    assertEquals(before + 1, player.ranOnCaller());
    assertEquals(now.join().getSeq(), lane.currentSeq());

    java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
    player.call(
        () -> {
          try {
            busy.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        });
    java.util.concurrent.CompletableFuture<PlayerReply> later =
        player.volume(31, ORIGIN).toCompletableFuture();
    assertFalse(later.isDone(), "the volume overtook a task queued before it");
    busy.countDown();
    assertEquals(31, await(later).getState().getVolume());
    assertEquals(before + 1, player.ranOnCaller());
  }

  @Test
  void aTrackChangeCarriesThePreviousEntryAndOtherChangesDoNot() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("a.wav", "b.wav"), List.of(), ORIGIN));
    PlayerReply play = await(player.play("1", ORIGIN));
    assertFalse(playerEvent(lane.events().get((int) play.getSeq() - 1)).hasPrevious());
    PlayerReply vol = await(player.volume(40, ORIGIN));
    assertFalse(playerEvent(lane.events().get((int) vol.getSeq() - 1)).hasPrevious());
    PlayerReply next = await(player.next(ORIGIN));
    PlayerChanged changed = playerEvent(lane.events().get((int) next.getSeq() - 1));
    assertEquals("2", changed.getState().getCurrent().getItemId());
    assertEquals("1", changed.getPrevious().getItemId());
    assertEquals("a.wav", changed.getPrevious().getTrack().getPath());
  }

  @Test
  void moveAndRemoveSayWhatChanged() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("a.wav", "b.wav", "long.wav"), List.of(), ORIGIN));
    QueueReply m = await(player.move("1", 2, ORIGIN));
    QueueChanged mc = lane.events().get((int) m.getSeq() - 1).event().getQueue();
    assertEquals("1", mc.getMoved().getItemId());
    assertEquals(2, mc.getMoved().getToIndex());
    QueueReply r = await(player.remove(List.of("2", "3"), ORIGIN));
    QueueChanged rc = lane.events().get((int) r.getSeq() - 1).event().getQueue();
    assertEquals(List.of("2", "3"), rc.getRemoved().getItemIdsList());
    assertEquals(1, rc.getLength());
    QueueReply c = await(player.clear(ORIGIN));
    assertEquals(0, lane.events().get((int) c.getSeq() - 1).event().getQueue().getLength());
    long seq = lane.currentSeq();
    // A no-op publishes nothing and answers with the newest queue event: the clear's QueueChanged,
    // not the PlayerChanged after it (a queue-only follower would wait for that in vain).
    assertEquals(c.getSeq(), await(player.clear(ORIGIN)).getSeq());
    assertEquals(Topic.PLAYER, lane.events().get((int) seq - 1).topic());
    assertEquals(seq, lane.currentSeq());
  }

  @Test
  void pausedPositionIsThePlayedFramesOfTheOutputClock() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("long.wav"), List.of(), ORIGIN));
    PlayerReply play = await(player.play("", ORIGIN));
    assertEquals(PlaybackState.PLAYBACK_STATE_LOADING, play.getState().getState());
    assertEquals("1", play.getState().getCurrent().getItemId());
    assertEquals(2000, play.getState().getDurationMs());
    awaitPlaying(play.getSeq(), "1");
    waitFor(() -> out.framesWritten() > RATE);
    out.setPlayed(RATE / 2);
    waitFor(() -> await(player.state()).getState().getPosition().getPositionUs() == 500_000);
    PlayerReply paused = await(player.pause(ORIGIN));
    assertEquals(PlaybackState.PLAYBACK_STATE_PAUSED, paused.getState().getState());
    assertEquals(500_000, paused.getState().getPosition().getPositionUs());
    assertEquals(0.0, paused.getState().getPosition().getRate());
    PlayerChanged ev = playerEvent(lane.events().get((int) paused.getSeq() - 1));
    assertEquals(Cause.CAUSE_COMMAND, ev.getCause());
    assertEquals(500_000, ev.getState().getPosition().getPositionUs());
  }

  @Test
  void aFixedOutputRateResamplesAndPositionsStayInTheItemsTime() throws Exception {
    lane = new FakeStateLane();
    out = new ManualOutput("m");
    player =
        new Player(
            PlayerConfig.builder().musicFolder(music).dataDir(data).outputRate(48_000).build(),
            lane,
            TrackCatalog.EMPTY,
            PcmTap.NONE,
            List.of(out));
    player.start();
    await(player.append(List.of("long.wav"), List.of(), ORIGIN));
    await(player.play("", ORIGIN));
    waitFor(() -> out.framesWritten() > 48_000);
    assertEquals(48_000, out.sampleRate());
    out.setPlayed(24_000); // half a second at 48 kHz
    waitFor(() -> await(player.state()).getState().getPosition().getPositionUs() == 500_000);
    PlayerReply paused = await(player.pause(ORIGIN));
    assertEquals(500_000, paused.getState().getPosition().getPositionUs());
    assertEquals(RATE, paused.getState().getCurrent().getTrack().getSampleRate(), "the source's");
  }

  @Test
  void gaplessSineSplitAcrossTwoFilesComesOutContinuous() throws Exception {
    start(new ManualOutput("m").autoPlay(true));
    await(player.append(List.of("a.wav", "b.wav"), List.of(), ORIGIN));
    long seq = await(player.play("", ORIGIN)).getSeq();
    FakeStateLane.Published adv =
        lane.await(
            seq,
            p ->
                p.topic() == Topic.PLAYER
                    && playerEvent(p).getCause() == Cause.CAUSE_AUTO_ADVANCE
                    && playerEvent(p).getState().getCurrent().getItemId().equals("2"));
    assertEquals(PlaybackState.PLAYBACK_STATE_PLAYING, playerEvent(adv).getState().getState());
    lane.await(seq, p -> isStopped(p));
    assertArrayEquals(TestWav.sine(440, RATE, 0, 60_000), out.all());
  }

  @ParameterizedTest
  @ValueSource(strings = {"wav", "aiff", "flac", "mp3", "ogg", "opus"})
  void gaplessPairOfEachFormatPlaysAsOneSine(String ext) throws Exception {
    for (char part : new char[] {'a', 'b'}) {
      Files.copy(GaplessJoint.part(ext, part), music.resolve("gapless_" + part + "." + ext));
    }
    start(new ManualOutput("m").autoPlay(true));
    await(player.append(List.of("gapless_a." + ext, "gapless_b." + ext), List.of(), ORIGIN));
    long seq = await(player.play("", ORIGIN)).getSeq();
    lane.await(seq, p -> advancedTo(p, "2"));
    lane.await(seq, p -> isStopped(p));
    GaplessJoint.assertJoined(ext, out.all());
  }

  @Test
  void unplayableItemsAreReportedAndSkipped() throws Exception {
    Files.write(music.resolve("empty.wav"), new byte[0]);
    Files.write(music.resolve("noise.flac"), "this is not audio at all, just text".getBytes());
    byte[] b = Files.readAllBytes(music.resolve("b.wav"));
    Files.write(music.resolve("b-named.mp3"), b); // a WAV with the wrong extension still plays
    start(new ManualOutput("m").autoPlay(true));
    QueueReply q =
        await(
            player.append(
                List.of("a.wav", "empty.wav", "noise.flac", "b-named.mp3"), List.of(), ORIGIN));
    long seq = await(player.play("", ORIGIN)).getSeq();
    lane.await(seq, p -> isStopped(p));
    List<String> failed =
        lane.since(0).stream()
            .filter(p -> p.topic() == Topic.PLAYER)
            .filter(p -> playerEvent(p).getCause() == Cause.CAUSE_ERROR)
            .map(p -> playerEvent(p).getState().getError().getDetailsOrThrow("item_id"))
            .toList();
    assertEquals(List.of(q.getItemIds(1), q.getItemIds(2)), failed);
    assertArrayEquals(TestWav.sine(440, RATE, 0, 60_000), out.all());
  }

  @Test
  void anUnplayableNextItemIsReportedOnceWhenItWouldBeHeardHoweverOftenTheOneBeforeIsSought()
      throws Exception {
    Files.write(music.resolve("empty.wav"), new byte[0]);
    start(new ManualOutput("m"));
    QueueReply q =
        await(player.append(List.of("long.wav", "empty.wav", "b.wav"), List.of(), ORIGIN));
    awaitPlaying(await(player.play("", ORIGIN)).getSeq(), q.getItemIds(0));
    for (int ms : new int[] {500, 1000, 1500}) {
      awaitPlaying(await(player.seek(ms, ORIGIN)).getSeq(), q.getItemIds(0));
    }
    assertEquals(List.of(), errorsSince(0), "no error while the item before it plays");
    out.autoPlay(true);
    lane.await(0, p -> isStopped(p));
    List<FakeStateLane.Published> player =
        lane.since(0).stream().filter(p -> p.topic() == Topic.PLAYER).toList();
    List<Integer> errors = new ArrayList<>();
    for (int i = 0; i < player.size(); i++) {
      if (playerEvent(player.get(i)).getCause() == Cause.CAUSE_ERROR) {
        errors.add(i);
      }
    }
    assertEquals(1, errors.size(), "one event for the unplayable item");
    PlayerChanged error = playerEvent(player.get(errors.get(0)));
    assertEquals(q.getItemIds(1), error.getState().getError().getDetailsOrThrow("item_id"));
    PlayerChanged after = playerEvent(player.get(errors.get(0) + 1));
    assertEquals(Cause.CAUSE_AUTO_ADVANCE, after.getCause());
    assertEquals(q.getItemIds(2), after.getState().getCurrent().getItemId(), "when b is heard");
  }

  @Test
  void aDamagedFlacFrameGivesOneEventAndTheTrackPlaysToItsEnd() throws Exception {
    byte[] b = Files.readAllBytes(GaplessJoint.fixture("1s_440Hz_44k1_stereo_16bit.flac"));
    for (int i = 0; i < 16; i++) {
      b[b.length / 2 + i] ^= (byte) 0x5A; // one frame in the middle damaged
    }
    Files.write(music.resolve("damaged.flac"), b);
    start(new ManualOutput("m").autoPlay(true));
    await(player.append(List.of("damaged.flac"), List.of(), ORIGIN));
    long seq = await(player.play("", ORIGIN)).getSeq();
    lane.await(seq, p -> isStopped(p));
    List<io.tonearm.proto.v1.Error> errors = errorsSince(0);
    assertEquals(1, errors.size(), errors.toString());
    assertEquals("damaged", errors.get(0).getCode());
    assertTrue(errors.get(0).getMessage().contains("damaged.flac"), errors.get(0).getMessage());
    assertEquals(2 * RATE, out.all().length, "the whole second (stereo), the damage as silence");
  }

  @Test
  void wronglyNamedFilesPlayByTheirContent() throws Exception {
    Files.copy(GaplessJoint.part("flac", 'a'), music.resolve("flac-named.mp3"));
    Files.copy(GaplessJoint.part("mp3", 'b'), music.resolve("mp3-named.flac"));
    start(new ManualOutput("m").autoPlay(true));
    await(player.append(List.of("flac-named.mp3", "mp3-named.flac"), List.of(), ORIGIN));
    long seq = await(player.play("", ORIGIN)).getSeq();
    lane.await(seq, p -> isStopped(p));
    assertEquals(List.of(), errorsSince(0));
    assertArrayEquals(
        concat(
            GaplessJoint.decodeAll(GaplessJoint.part("flac", 'a')),
            GaplessJoint.decodeAll(GaplessJoint.part("mp3", 'b'))),
        out.all());
  }

  @Test
  void garbageAndFormatsNoDecoderTakesAreReportedByNameAndSkipped() throws Exception {
    byte[] junk = new byte[5000];
    new java.util.Random(3).nextBytes(junk);
    Files.write(music.resolve("garbage.mp3"), junk);
    byte[] midi = Arrays.copyOf("MThd\0\0\0\6\0\1\0\1\1\340MTrk".getBytes(), 200);
    Files.write(music.resolve("score.mid"), midi); // MIDI: no plugin, and not one for ffmpeg
    start(new ManualOutput("m").autoPlay(true));
    await(player.append(List.of("garbage.mp3", "score.mid", "a.wav"), List.of(), ORIGIN));
    PlayerReply r = await(player.play("", ORIGIN));
    assertEquals("3", r.getState().getCurrent().getItemId());
    lane.await(r.getSeq(), p -> isStopped(p));
    List<io.tonearm.proto.v1.Error> errors = errorsSince(0);
    assertEquals(2, errors.size());
    assertEquals("1", errors.get(0).getDetailsOrThrow("item_id"));
    assertEquals("garbage.mp3", errors.get(0).getDetailsOrThrow("path"));
    assertTrue(errors.get(0).getMessage().contains("garbage.mp3"), errors.get(0).getMessage());
    assertEquals("2", errors.get(1).getDetailsOrThrow("item_id"));
    assertTrue(
        errors.get(1).getMessage().contains("no decoder takes score.mid"),
        errors.get(1).getMessage());
    assertArrayEquals(TestWav.sine(440, RATE, 0, 30_000), out.all());
  }

  @Test
  void truncatedFlacPlaysWhatItHasThenIsReportedAndPlaybackMovesOn() throws Exception {
    byte[] flac = Files.readAllBytes(GaplessJoint.part("flac", 'a'));
    Files.write(music.resolve("cut.flac"), Arrays.copyOf(flac, flac.length / 2));
    start(new ManualOutput("m").autoPlay(true));
    await(player.append(List.of("cut.flac", "b.wav"), List.of(), ORIGIN));
    long seq = await(player.play("", ORIGIN)).getSeq();
    lane.await(seq, p -> isStopped(p));
    List<io.tonearm.proto.v1.Error> errors = errorsSince(0);
    assertEquals(1, errors.size());
    assertEquals("1", errors.get(0).getDetailsOrThrow("item_id"));
    assertTrue(errors.get(0).getMessage().contains("cut.flac"), errors.get(0).getMessage());
    float[] heard = out.all();
    float[] whole = GaplessJoint.decodeAll(GaplessJoint.part("flac", 'a'));
    int played = heard.length - 30_000;
    assertTrue(
        played > 0 && played < whole.length, "played " + played + " samples of the cut file");
    assertArrayEquals(Arrays.copyOf(whole, played), Arrays.copyOf(heard, played));
    assertArrayEquals(
        TestWav.sine(440, RATE, 30_000, 60_000), Arrays.copyOfRange(heard, played, heard.length));
  }

  @Test
  void fileOverwrittenWhilePlayingIsReportedAndPlaybackMovesOn() throws Exception {
    TestWav.write(music.resolve("big.wav"), RATE, 1, TestWav.sine(440, RATE, 0, 10 * RATE));
    start(new ManualOutput("m").autoPlay(true).holdWrites());
    await(player.append(List.of("big.wav", "b.wav"), List.of(), ORIGIN));
    long seq = await(player.play("", ORIGIN)).getSeq();
    out.awaitBlockedWrite(); // the decoder is at most two seconds into ten
    // Rewritten in place (same file, shorter): the open decoder runs out of data early.
    TestWav.write(music.resolve("big.wav"), RATE, 1, TestWav.sine(440, RATE, 0, RATE / 2));
    out.releaseWrites();
    lane.await(seq, p -> isStopped(p));
    List<io.tonearm.proto.v1.Error> errors = errorsSince(0);
    assertEquals(1, errors.size());
    assertEquals("1", errors.get(0).getDetailsOrThrow("item_id"));
    assertTrue(
        errors.get(0).getMessage().contains("big.wav")
            && errors.get(0).getMessage().contains("truncated or overwritten"),
        errors.get(0).getMessage());
    float[] heard = out.all();
    assertTrue(heard.length < 10 * RATE, "the rest of the old file was not invented");
    assertArrayEquals(
        TestWav.sine(440, RATE, 30_000, 60_000),
        Arrays.copyOfRange(heard, heard.length - 30_000, heard.length));
  }

  @Test
  void fileDeletedWhilePlayingPlaysOnFromTheOpenFile() throws Exception {
    start(new ManualOutput("m").autoPlay(true).holdWrites());
    await(player.append(List.of("long.wav", "b.wav"), List.of(), ORIGIN));
    long seq = await(player.play("", ORIGIN)).getSeq();
    out.awaitBlockedWrite();
    Files.delete(music.resolve("long.wav"));
    out.releaseWrites();
    lane.await(seq, p -> isStopped(p));
    assertEquals(List.of(), errorsSince(0));
    assertArrayEquals(
        concat(TestWav.sine(440, RATE, 0, 2 * RATE), TestWav.sine(440, RATE, 30_000, 60_000)),
        out.all());
  }

  @Test
  void seekOutsideTheItemIs422AndChangesNothing() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("long.wav"), List.of(), ORIGIN));
    awaitPlaying(await(player.play("", ORIGIN)).getSeq(), "1");
    long seq = lane.currentSeq();
    int segments = out.segments();
    DomainException past = apiError(player.seek(2001, ORIGIN));
    assertEquals(Kind.UNPROCESSABLE, past.kind());
    assertEquals(Kind.UNPROCESSABLE, apiError(player.seek(-1, ORIGIN)).kind());
    assertEquals(seq, lane.currentSeq(), "nothing published");
    assertEquals(segments, out.segments(), "the output was not flushed");
    PlayerReply s = await(player.state());
    assertEquals(PlaybackState.PLAYBACK_STATE_PLAYING, s.getState().getState());
    assertEquals("1", s.getState().getCurrent().getItemId());
  }

  @Test
  void anItemWithoutSamplesEndsAtOnce() throws Exception {
    TestWav.write(music.resolve("silent.wav"), RATE, 1, new float[0]);
    start(new ManualOutput("m"));
    await(player.append(List.of("silent.wav"), List.of(), ORIGIN));
    long seq = await(player.play("", ORIGIN)).getSeq();
    lane.await(seq, p -> isStopped(p));
  }

  @Test
  void truncatedFilePlaysWhatItHas() throws Exception {
    byte[] full = Files.readAllBytes(music.resolve("a.wav"));
    Files.write(music.resolve("cut.wav"), Arrays.copyOf(full, 44 + 4 * 1000));
    start(new ManualOutput("m").autoPlay(true));
    await(player.append(List.of("cut.wav", "b.wav"), List.of(), ORIGIN));
    long seq = await(player.play("", ORIGIN)).getSeq();
    lane.await(seq, p -> isStopped(p));
    float[] expected = new float[31_000];
    System.arraycopy(TestWav.sine(440, RATE, 0, 1000), 0, expected, 0, 1000);
    System.arraycopy(TestWav.sine(440, RATE, 30_000, 60_000), 0, expected, 1000, 30_000);
    assertArrayEquals(expected, out.all());
  }

  @Test
  void openingAnItemPublishesItsFormatOnceAsAQueueUpdate() throws Exception {
    start(new ManualOutput("m"));
    QueueReply added = await(player.append(List.of("a.wav", "b.wav"), List.of(), ORIGIN));
    assertEquals(0, added.getQueue().getItems(0).getTrack().getSampleRate(), "not opened yet");
    long seq = lane.currentSeq();
    PlayerReply r = await(player.play("1", ORIGIN));
    List<QueueChanged> updates =
        lane.since(seq).stream()
            .filter(p -> p.topic() == Topic.QUEUE)
            .map(p -> p.event().getQueue())
            .toList();
    // Item 1 opened to play, item 2 opened to prime the gapless change: one update each.
    assertEquals(2, updates.size(), updates.toString());
    for (QueueChanged u : updates) {
      assertEquals(QueueChanged.ChangeCase.UPDATED, u.getChangeCase());
      assertEquals(Cause.CAUSE_OPENED, u.getCause());
      assertEquals(RATE, u.getUpdated().getItems(0).getTrack().getSampleRate());
      assertEquals(u.getUpdated().getItems(0), itemById(u.getUpdated().getItems(0).getItemId()));
    }
    assertEquals(
        List.of("1", "2"),
        updates.stream().map(u -> u.getUpdated().getItems(0).getItemId()).toList());
    assertTrue(r.getSeq() > lane.since(0).get((int) seq).seq(), "the reply covers the updates");
    long after = lane.currentSeq();
    await(player.seek(10, ORIGIN)); // reopens item 1: nothing new about it, no update
    assertTrue(
        lane.since(after).stream().noneMatch(p -> p.topic() == Topic.QUEUE), "no second update");
  }

  private io.tonearm.proto.v1.QueueItem itemById(String id) throws Exception {
    return await(player.queue()).getQueue().getItemsList().stream()
        .filter(i -> i.getItemId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void playIsLoadingUntilTheFirstFrameReachesTheOutput() throws Exception {
    start(new ManualOutput("m").holdWrites()); // a device slow to take its first block
    await(player.append(List.of("long.wav"), List.of(), ORIGIN));
    PlayerReply r = await(player.play("", ORIGIN));
    assertEquals(PlaybackState.PLAYBACK_STATE_LOADING, r.getState().getState());
    assertEquals(0.0, r.getState().getPosition().getRate(), "a loading position does not advance");
    out.awaitBlockedWrite();
    assertEquals(0, playerEventsSince(r.getSeq()), "nothing heard, no player event");
    assertEquals(PlaybackState.PLAYBACK_STATE_LOADING, await(player.state()).getState().getState());
    out.releaseWrites();
    PlayerChanged playing = awaitPlaying(r.getSeq(), "1");
    assertEquals(Cause.CAUSE_COMMAND, playing.getCause());
    assertEquals(ORIGIN, playing.getOrigin(), "the change completes the client's command");
    assertEquals(1.0, playing.getState().getPosition().getRate());
    assertEquals(1, playerEventsSince(r.getSeq()), "one PLAYING event, no more");
    // The output opened for the item: one outputs event (cause OPENED) says so.
    FakeStateLane.Published opened =
        lane.await(
            r.getSeq(),
            p ->
                p.topic() == Topic.OUTPUTS
                    && p.event().getOutputs().getState().getOutputs(0).getOpen());
    assertEquals(Cause.CAUSE_OPENED, opened.event().getOutputs().getCause());
    assertTrue(opened.event().getOutputs().getState().getOutputs(0).getClock());
  }

  private long playerEventsSince(long seq) {
    return lane.since(seq).stream().filter(p -> p.topic() == Topic.PLAYER).count();
  }

  @Test
  void seekWhilePlayingIsLoadingThenPlayingWithCauseSeek() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("long.wav"), List.of(), ORIGIN));
    awaitPlaying(await(player.play("", ORIGIN)).getSeq(), "1");
    out.holdWrites(); // the whole item is written already: the seek's first block will be held
    PlayerReply r = await(player.seek(1000, ORIGIN));
    assertEquals(PlaybackState.PLAYBACK_STATE_LOADING, r.getState().getState());
    assertEquals(1_000_000, r.getState().getPosition().getPositionUs());
    out.awaitBlockedWrite();
    assertEquals(PlaybackState.PLAYBACK_STATE_LOADING, await(player.state()).getState().getState());
    out.releaseWrites();
    PlayerChanged playing = awaitPlaying(r.getSeq(), "1");
    assertEquals(Cause.CAUSE_SEEK, playing.getCause());
    assertEquals(ORIGIN, playing.getOrigin());
  }

  @Test
  void pauseWhileLoadingPausesAndPlayLoadsAgainUntilHeard() throws Exception {
    start(new ManualOutput("m").holdWrites());
    await(player.append(List.of("long.wav"), List.of(), ORIGIN));
    await(player.play("", ORIGIN));
    out.awaitBlockedWrite();
    // The player thread takes the toggle before any report of the held block (its tasks run in
    // order), so it finds LOADING; it waits for the output thread, which the release frees.
    CompletionStage<PlayerReply> toggle = player.toggle(ORIGIN);
    out.releaseWrites();
    PlayerReply paused = await(toggle);
    assertEquals(PlaybackState.PLAYBACK_STATE_PAUSED, paused.getState().getState());
    assertEquals(0, paused.getState().getPosition().getPositionUs());
    PlayerReply resumed = await(player.play("", ORIGIN));
    long seq = resumed.getSeq();
    PlaybackState s = resumed.getState().getState();
    if (s == PlaybackState.PLAYBACK_STATE_LOADING) {
      awaitPlaying(seq, "1"); // the report of the first frame had not reached the player yet
    } else {
      assertEquals(PlaybackState.PLAYBACK_STATE_PLAYING, s);
    }
    assertEquals(PlaybackState.PLAYBACK_STATE_PLAYING, await(player.state()).getState().getState());
  }

  @Test
  void aPlayFirstHeardWhilePausedTellsItsPosition() throws Exception {
    // A pause during LOADING publishes position 0 (nothing heard yet); the start of the play can
    // be heard just after, with frames already played, which moves the position GET reports. An
    // event must say so, or a client applying the events has another position than GET.
    start(new ManualOutput("m").holdWrites());
    await(player.append(List.of("long.wav"), List.of(), ORIGIN));
    await(player.play("", ORIGIN));
    out.awaitBlockedWrite();
    // The output thread takes the pause (its mail) before it looks at what was heard; the look is
    // held here until the pause is published, as a busy machine can order them.
    out.holdHeardCheck();
    CompletionStage<PlayerReply> toggle = player.toggle(ORIGIN);
    waitFor(PlayerTest::aThreadWaitsForThePause); // its mail is queued before the write ends
    out.setPlayed(441); // 10 ms of the held block are heard by the time the output thread looks
    out.releaseWrites();
    PlayerReply paused = await(toggle);
    assertEquals(PlaybackState.PLAYBACK_STATE_PAUSED, paused.getState().getState());
    assertEquals(0, paused.getState().getPosition().getPositionUs());
    out.releaseHeardCheck();
    PlayerChanged told =
        playerEvent(
            lane.await(
                paused.getSeq(),
                p ->
                    p.topic() == Topic.PLAYER
                        && playerEvent(p).getState().getPosition().getPositionUs() > 0));
    assertEquals(PlaybackState.PLAYBACK_STATE_PAUSED, told.getState().getState());
    assertEquals(Cause.CAUSE_OPENED, told.getCause());
    assertEquals(10_000, told.getState().getPosition().getPositionUs());
    PlayerState now = await(player.state()).getState();
    assertEquals(told.getState().getPosition().getPositionUs(), now.getPosition().getPositionUs());
  }

  /** True while a thread waits in the player for the output thread to take a pause. */
  private static boolean aThreadWaitsForThePause() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(t -> t.getKey().getState() == Thread.State.TIMED_WAITING)
        .anyMatch(
            t ->
                Arrays.stream(t.getValue())
                    .anyMatch(
                        f ->
                            f.getClassName().endsWith(".Playback")
                                && f.getMethodName().equals("setPaused")));
  }

  @Test
  void restoredItemIsLoadingOnPlayUntilHeard() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("long.wav"), List.of(), ORIGIN));
    awaitPlaying(await(player.play("", ORIGIN)).getSeq(), "1");
    player.close();
    start(new ManualOutput("m2").holdWrites());
    PlayerReply r = await(player.play("", ORIGIN));
    assertEquals(PlaybackState.PLAYBACK_STATE_LOADING, r.getState().getState());
    out.awaitBlockedWrite();
    out.releaseWrites();
    assertEquals(ORIGIN, awaitPlaying(r.getSeq(), "1").getOrigin());
  }

  @Test
  void seekLandsOnRequestedFrameAndPlaysOnGaplessly() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("a.wav", "b.wav"), List.of(), ORIGIN));
    await(player.play("", ORIGIN));
    waitFor(() -> out.framesWritten() >= 60_000); // a and b are both in the output already
    int segments = out.segments();
    PlayerReply r = await(player.seek(500, ORIGIN));
    PlayerChanged ev = playerEvent(lane.events().get((int) r.getSeq() - 1));
    assertEquals(Cause.CAUSE_SEEK, ev.getCause());
    assertEquals(500_000, ev.getState().getPosition().getPositionUs());
    waitFor(() -> out.segments() > segments && out.lastSegment().length >= 60_000 - 22_050);
    assertArrayEquals(TestWav.sine(440, RATE, 22_050, 60_000), out.lastSegment());
  }

  @Test
  void removingAnItemTheDecoderAlreadyReachedKeepsItFromPlaying() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("a.wav", "b.wav", "long.wav"), List.of(), ORIGIN));
    await(player.play("", ORIGIN));
    waitFor(() -> out.framesWritten() == 60_000 + 2 * RATE); // decoded through all three
    int segments = out.segments();
    await(player.remove(List.of("2"), ORIGIN));
    float[] expected = new float[30_000 + 2 * RATE];
    System.arraycopy(TestWav.sine(440, RATE, 0, 30_000), 0, expected, 0, 30_000);
    System.arraycopy(TestWav.sine(440, RATE, 0, 2 * RATE), 0, expected, 30_000, 2 * RATE);
    waitFor(() -> out.segments() > segments && out.lastSegment().length == expected.length);
    assertArrayEquals(expected, out.lastSegment());
    assertEquals("1", await(player.state()).getState().getCurrent().getItemId());
  }

  @Test
  void seekWhilePausedStaysPausedAndResumesThere() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("long.wav"), List.of(), ORIGIN));
    await(player.play("", ORIGIN));
    await(player.pause(ORIGIN));
    int segments = out.segments();
    PlayerReply r = await(player.seek(1500, ORIGIN));
    assertEquals(PlaybackState.PLAYBACK_STATE_PAUSED, r.getState().getState());
    assertEquals(1_500_000, r.getState().getPosition().getPositionUs());
    assertEquals(Kind.UNPROCESSABLE, apiError(player.seek(2001, ORIGIN)).kind());
    await(player.play("", ORIGIN));
    waitFor(() -> out.segments() > segments && out.lastSegment().length >= 2 * RATE - 66_150);
    assertArrayEquals(TestWav.sine(440, RATE, 66_150, 2 * RATE), out.lastSegment());
  }

  @Test
  void fileDeletedWhilePlayingIsReportedOnSeekAndPlaybackMovesOn() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("long.wav", "b.wav"), List.of(), ORIGIN));
    await(player.play("", ORIGIN));
    Files.delete(music.resolve("long.wav"));
    long seq = lane.currentSeq();
    PlayerReply r = await(player.seek(100, ORIGIN));
    FakeStateLane.Published err =
        lane.await(
            seq, p -> p.topic() == Topic.PLAYER && playerEvent(p).getCause() == Cause.CAUSE_ERROR);
    assertEquals("1", playerEvent(err).getState().getError().getDetailsOrThrow("item_id"));
    assertEquals("2", r.getState().getCurrent().getItemId());
    assertEquals(PlaybackState.PLAYBACK_STATE_LOADING, r.getState().getState());
    awaitPlaying(r.getSeq(), "2");
  }

  @Test
  void repeatOnePlaysTheItemAgainAndConsumeRemovesPlayedItems() throws Exception {
    start(new ManualOutput("m").autoPlay(true));
    await(player.append(List.of("a.wav", "b.wav"), List.of(), ORIGIN));
    await(player.consume(true, ORIGIN));
    long seq = await(player.play("", ORIGIN)).getSeq();
    lane.await(seq, p -> isStopped(p));
    assertEquals(0, await(player.queue()).getQueue().getItemsCount());

    await(player.consume(false, ORIGIN));
    await(player.append(List.of("a.wav"), List.of(), ORIGIN));
    await(player.repeat(RepeatMode.REPEAT_MODE_ONE, ORIGIN));
    await(player.single(true, ORIGIN));
    out.autoPlay(false);
    long before = out.framesWritten(); // the output stays open: its count goes on from here
    seq = await(player.play("", ORIGIN)).getSeq();
    String item =
        lane.events().get((int) seq - 1).event().getPlayer().getState().getCurrent().getItemId();
    waitFor(() -> out.framesWritten() >= before + 60_000); // the item twice over
    await(player.pause(ORIGIN)); // repeat one never ends: hold it before it fills the memory
    out.setPlayed(out.framesWritten());
    lane.await(seq, p -> advancedTo(p, item)); // single with repeat one: the item again
    await(player.stop(ORIGIN));
  }

  @Test
  void repeatOnePlaysTheSameItemAgainWithoutAGap() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("a.wav", "b.wav"), List.of(), ORIGIN));
    await(player.repeat(RepeatMode.REPEAT_MODE_ONE, ORIGIN));
    long seq = await(player.play("1", ORIGIN)).getSeq();
    waitFor(() -> out.framesWritten() >= 90_000);
    await(player.pause(ORIGIN)); // the output stops taking blocks: the endless repeat is held
    out.setPlayed(45_000); // half way into the second play of item 1
    FakeStateLane.Published again = lane.await(seq, p -> advancedTo(p, "1"));
    assertEquals(
        15_000 * 1_000_000L / RATE, playerEvent(again).getState().getPosition().getPositionUs());
    float[] a = TestWav.sine(440, RATE, 0, 30_000);
    assertArrayEquals(concat(concat(a, a), a), Arrays.copyOf(out.all(), 90_000));
    assertEquals(List.of(), errorsSince(0));
  }

  @Test
  void shuffleOnWhilePlayingKeepsTheCurrentItemThenPlaysEveryOtherOnce() throws Exception {
    writeLevels(6);
    start(new ManualOutput("m"));
    await(player.append(levelPaths(6), List.of(), ORIGIN));
    awaitPlaying(await(player.play("3", ORIGIN)).getSeq(), "3");
    PlayerReply r = await(player.shuffle(true, ORIGIN));
    assertTrue(r.getState().getShuffle());
    assertEquals("3", r.getState().getCurrent().getItemId());
    assertEquals(PlaybackState.PLAYBACK_STATE_PLAYING, r.getState().getState());
    assertEquals(2, r.getState().getQueueIndex(), "queue order is untouched");
    // What was decoded ahead in queue order (4, 5, 6) is dropped; 3 goes on from where it is heard
    // (its start: this clock has not moved), then the shuffled order follows.
    waitFor(() -> levels(out.lastSegment()).size() == 6);
    List<Integer> order = levels(out.lastSegment());
    assertEquals(3, order.get(0));
    assertEquals(List.of(1, 2, 3, 4, 5, 6), order.stream().sorted().toList());
    out.autoPlay(true);
    lane.await(r.getSeq(), p -> isStopped(p));
    assertEquals(order.subList(1, 6), advancesSince(r.getSeq()), "heard in that order, once each");
  }

  @Test
  void shuffleOffReturnsToQueueOrderAfterTheCurrentItem() throws Exception {
    writeLevels(6);
    start(new ManualOutput("m"));
    await(player.append(levelPaths(6), List.of(), ORIGIN));
    await(player.shuffle(true, ORIGIN));
    PlayerReply r = await(player.play("", ORIGIN));
    String first = r.getState().getCurrent().getItemId();
    awaitPlaying(r.getSeq(), first);
    PlayerReply off = await(player.shuffle(false, ORIGIN));
    assertEquals(first, off.getState().getCurrent().getItemId());
    List<Integer> expected = new ArrayList<>();
    for (int i = Integer.parseInt(first); i <= 6; i++) {
      expected.add(i);
    }
    waitFor(() -> levels(out.lastSegment()).equals(expected));
    out.autoPlay(true);
    lane.await(off.getSeq(), p -> isStopped(p));
    assertEquals(expected.subList(1, expected.size()), advancesSince(off.getSeq()));
  }

  /** Items that became audible by themselves after {@code seq}, in order. */
  private List<Integer> advancesSince(long seq) {
    return lane.since(seq).stream()
        .filter(p -> p.topic() == Topic.PLAYER)
        .filter(p -> playerEvent(p).getCause() == Cause.CAUSE_AUTO_ADVANCE)
        .filter(p -> playerEvent(p).getState().hasCurrent())
        .map(p -> Integer.parseInt(playerEvent(p).getState().getCurrent().getItemId()))
        .toList();
  }

  /** Items 1..n: l1.wav..ln.wav, 1000 frames each at the constant level i/10. */
  private void writeLevels(int n) throws IOException {
    for (int i = 1; i <= n; i++) {
      float[] s = new float[1000];
      Arrays.fill(s, i / 10f);
      TestWav.write(music.resolve("l" + i + ".wav"), RATE, 1, s);
    }
  }

  private static List<String> levelPaths(int n) {
    List<String> paths = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      paths.add("l" + i + ".wav");
    }
    return paths;
  }

  /**
   * The level items in {@code heard}, in order, one per 1000 samples; empty when it is not (yet) a
   * run of whole items.
   */
  private static List<Integer> levels(float[] heard) {
    List<Integer> order = new ArrayList<>();
    if (heard.length % 1000 != 0) {
      return order;
    }
    for (int i = 0; i < heard.length; i += 1000) {
      int level = Math.round(heard[i] * 10);
      for (int j = i; j < i + 1000; j++) {
        if (heard[j] != level / 10f) {
          return List.of();
        }
      }
      order.add(level);
    }
    return order;
  }

  @Test
  void repeatAllWrapsToTheFirstItem() throws Exception {
    start(new ManualOutput("m").autoPlay(true));
    await(player.append(List.of("a.wav", "b.wav"), List.of(), ORIGIN));
    await(player.repeat(RepeatMode.REPEAT_MODE_ALL, ORIGIN));
    long seq = await(player.play("", ORIGIN)).getSeq();
    long second = lane.await(seq, p -> advancedTo(p, "2")).seq();
    lane.await(second, p -> advancedTo(p, "1"));
    await(player.stop(ORIGIN));
  }

  @Test
  void singleStopsAfterTheCurrentItemAndKeepsIt() throws Exception {
    start(new ManualOutput("m").autoPlay(true));
    await(player.append(List.of("a.wav", "b.wav"), List.of(), ORIGIN));
    await(player.single(true, ORIGIN));
    long seq = await(player.play("", ORIGIN)).getSeq();
    FakeStateLane.Published end = lane.await(seq, p -> isStopped(p));
    assertEquals("1", playerEvent(end).getState().getCurrent().getItemId());
    assertEquals(30_000, out.all().length);
  }

  @Test
  void singleOneshotStopsAfterTheCurrentItemOnceThenGoesOff() throws Exception {
    start(new ManualOutput("m").autoPlay(true));
    await(player.append(List.of("a.wav", "b.wav", "a.wav"), List.of(), ORIGIN));
    PlayerReply set = await(player.single(true, true, ORIGIN));
    assertTrue(set.getState().getSingle() && set.getState().getSingleOneshot());
    long seq = await(player.play("", ORIGIN)).getSeq();
    FakeStateLane.Published end = lane.await(seq, p -> isStopped(p));
    PlayerState after = playerEvent(end).getState();
    assertEquals("1", after.getCurrent().getItemId(), "stopped after the current item");
    assertFalse(after.getSingle(), "the oneshot is spent");
    assertFalse(after.getSingleOneshot());
    assertEquals(30_000, out.all().length, "only item 1 was played");
    // Single off now: play goes on from item 2 into item 3.
    seq = await(player.play("2", ORIGIN)).getSeq();
    lane.await(seq, p -> advancedTo(p, "3"));
  }

  @Test
  void consumeOneshotRemovesOnePlayedItemThenGoesOff() throws Exception {
    start(new ManualOutput("m").autoPlay(true));
    await(player.append(List.of("a.wav", "b.wav", "a.wav"), List.of(), ORIGIN));
    PlayerReply set = await(player.consume(true, true, ORIGIN));
    assertTrue(set.getState().getConsume() && set.getState().getConsumeOneshot());
    long seq = await(player.play("", ORIGIN)).getSeq();
    FakeStateLane.Published end = lane.await(seq, p -> isStopped(p));
    assertFalse(playerEvent(end).getState().getConsume(), "off after one removal");
    assertFalse(playerEvent(end).getState().getConsumeOneshot());
    assertEquals(
        List.of("2", "3"),
        await(player.queue()).getQueue().getItemsList().stream().map(i -> i.getItemId()).toList(),
        "item 1 removed, the others kept");
  }

  @Test
  void oneshotWithoutEnablingIsRefusedAndChangesNothing() throws Exception {
    start(new ManualOutput("m"));
    long seq = lane.currentSeq();
    assertEquals(Kind.UNPROCESSABLE, apiError(player.single(false, true, ORIGIN)).kind());
    assertEquals(Kind.UNPROCESSABLE, apiError(player.consume(false, true, ORIGIN)).kind());
    assertEquals(seq, lane.currentSeq());
    assertFalse(await(player.state()).getState().getSingle());
  }

  @Test
  void aOneshotModeIsNotKeptAcrossARestart() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("a.wav"), List.of(), ORIGIN));
    await(player.single(true, true, ORIGIN));
    await(player.consume(true, ORIGIN));
    player.close();
    start(new ManualOutput("m2"));
    PlayerState restored = await(player.state()).getState();
    assertFalse(restored.getSingle(), "a oneshot is saved as off");
    assertTrue(restored.getConsume(), "a plain mode is kept");
  }

  @Test
  void whileShuffledHigherPrioritiesPlayFirstAndResetWhenTheyStart() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("a.wav", "b.wav", "a.wav", "b.wav", "a.wav"), List.of(), ORIGIN));
    await(player.shuffle(true, ORIGIN));
    awaitPlaying(await(player.play("1", ORIGIN)).getSeq(), "1");
    QueueReply four = await(player.priority(List.of("4"), 200, ORIGIN));
    QueueChanged u = lane.events().get((int) four.getSeq() - 1).event().getQueue();
    assertEquals("4", u.getUpdated().getItems(0).getItemId());
    assertEquals(200, u.getUpdated().getItems(0).getPriority());
    await(player.priority(List.of("3", "5"), 100, ORIGIN));
    // Wherever the shuffle had put them (before item 1 included): 4, then 3 and 5 in either order.
    PlayerReply n = await(player.next(ORIGIN));
    assertEquals("4", n.getState().getCurrent().getItemId());
    awaitPlaying(n.getSeq(), "4");
    waitFor(() -> itemById("4").getPriority() == 0); // reset once it started
    assertEquals(100, itemById("3").getPriority());
    String third = await(player.next(ORIGIN)).getState().getCurrent().getItemId();
    String fourth = await(player.next(ORIGIN)).getState().getCurrent().getItemId();
    assertEquals(java.util.Set.of("3", "5"), java.util.Set.of(third, fourth));
    await(player.stop(ORIGIN));
  }

  @Test
  void badPrioritiesAreRefusedAndChangeNothing() throws Exception {
    start(new ManualOutput("m"));
    long appended = await(player.append(List.of("a.wav", "b.wav"), List.of(), ORIGIN)).getSeq();
    long seq = lane.currentSeq();
    assertEquals(Kind.UNPROCESSABLE, apiError(player.priority(List.of("1"), 256, ORIGIN)).kind());
    assertEquals(Kind.NOT_FOUND, apiError(player.priority(List.of("1", "9"), 5, ORIGIN)).kind());
    assertEquals(Kind.INVALID, apiError(player.priority(List.of(), 5, ORIGIN)).kind());
    assertEquals(seq, lane.currentSeq());
    assertEquals(0, itemById("1").getPriority(), "not set on the known id either");
    assertEquals(
        appended,
        await(player.priority(List.of("2"), 0, ORIGIN)).getSeq(),
        "no change: the newest queue event");
    assertEquals(seq, lane.currentSeq());
  }

  @Test
  void nextAndPreviousMoveThroughTheQueue() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("a.wav", "b.wav", "long.wav"), List.of(), ORIGIN));
    assertEquals("1", await(player.next(ORIGIN)).getState().getCurrent().getItemId()); // stopped
    await(player.play("", ORIGIN));
    PlayerReply n = await(player.next(ORIGIN));
    assertEquals("2", n.getState().getCurrent().getItemId());
    assertEquals(PlaybackState.PLAYBACK_STATE_LOADING, n.getState().getState());
    awaitPlaying(n.getSeq(), "2");
    assertEquals("1", await(player.previous(ORIGIN)).getState().getCurrent().getItemId());
    await(player.play("3", ORIGIN));
    PlayerReply end = await(player.next(ORIGIN)); // past the last item: stop
    assertEquals(PlaybackState.PLAYBACK_STATE_STOPPED, end.getState().getState());
  }

  @Test
  void replacingTheQueueStopsPlaybackAndGivesNewIds() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("a.wav"), List.of(), ORIGIN));
    await(player.play("", ORIGIN));
    QueueReply r = await(player.setQueue(List.of("b.wav", "long.wav"), List.of(), ORIGIN));
    assertEquals(List.of("2", "3"), r.getItemIdsList());
    QueueChanged c = lane.events().get((int) r.getSeq() - 1).event().getQueue();
    assertEquals(2, c.getReplaced().getItemsCount());
    PlayerReply s = await(player.state());
    assertEquals(PlaybackState.PLAYBACK_STATE_STOPPED, s.getState().getState());
    assertEquals(-1, s.getState().getQueueIndex());
  }

  @Test
  void removingThePlayingItemPlaysOnWithTheNextOne() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("long.wav", "b.wav"), List.of(), ORIGIN));
    await(player.play("", ORIGIN));
    QueueReply r = await(player.remove(List.of("1"), ORIGIN));
    PlayerChanged p = playerEvent(lane.events().get((int) r.getSeq()));
    assertEquals("2", p.getState().getCurrent().getItemId());
    assertEquals(PlaybackState.PLAYBACK_STATE_LOADING, p.getState().getState());
    assertEquals(0, p.getState().getQueueIndex());
    awaitPlaying(r.getSeq(), "2");
  }

  @Test
  void restartRestoresQueuePositionAndModesPausedAndNeverReusesIds() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("a.wav", "long.wav"), List.of(), ORIGIN));
    await(player.volume(40, ORIGIN));
    await(player.repeat(RepeatMode.REPEAT_MODE_ALL, ORIGIN));
    await(player.shuffle(true, ORIGIN));
    await(player.single(true, ORIGIN));
    await(player.consume(true, ORIGIN));
    await(player.play("2", ORIGIN));
    waitFor(() -> out.framesWritten() > RATE);
    out.setPlayed(RATE / 4);
    waitFor(() -> await(player.state()).getState().getPosition().getPositionUs() == 250_000);
    player.close();

    start(new ManualOutput("m2"));
    List<FakeStateLane.Published> ev = lane.events();
    QueueChanged q = ev.get(0).event().getQueue();
    assertEquals(Cause.CAUSE_RESTORE, q.getCause());
    assertEquals(
        List.of("1", "2"),
        q.getReplaced().getItemsList().stream().map(i -> i.getItemId()).toList());
    PlayerChanged p = ev.get(1).event().getPlayer();
    assertEquals(Cause.CAUSE_RESTORE, p.getCause());
    assertEquals(PlaybackState.PLAYBACK_STATE_PAUSED, p.getState().getState());
    assertEquals("2", p.getState().getCurrent().getItemId());
    assertEquals(250_000, p.getState().getPosition().getPositionUs());
    assertEquals(40, p.getState().getVolume());
    assertEquals(RepeatMode.REPEAT_MODE_ALL, p.getState().getRepeat());
    assertTrue(p.getState().getShuffle() && p.getState().getSingle() && p.getState().getConsume());
    // Play resumes at the saved position, not at the start of the item.
    awaitPlaying(await(player.play("", ORIGIN)).getSeq(), "2");
    waitFor(() -> out.framesWritten() >= 1000);
    float[] expected = TestWav.sine(440, RATE, RATE / 4, RATE / 4 + 1000);
    float gain = io.tonearm.daemon.dsp.VolumeRamp.gainFor(40, false); // the restored volume
    for (int i = 0; i < expected.length; i++) {
      expected[i] *= gain;
    }
    assertArrayEquals(expected, Arrays.copyOf(out.all(), 1000), 1e-7f);
    QueueReply more = await(player.append(List.of("b.wav"), List.of(), ORIGIN));
    assertTrue(Long.parseLong(more.getItemIds(0)) > 2, "ids are never reused");
  }

  private void startWithPositionSaves(long millis) throws IOException {
    lane = new FakeStateLane();
    out = new ManualOutput("m");
    player =
        new Player(
            PlayerConfig.builder()
                .musicFolder(music)
                .dataDir(data)
                .positionSaveMillis(millis)
                .build(),
            lane,
            TrackCatalog.EMPTY,
            PcmTap.NONE,
            List.of(out));
    player.start();
  }

  @Test
  void thePositionWhilePlayingIsJournaledWithoutRewritingTheStateFile() throws Exception {
    startWithPositionSaves(100);
    await(player.append(List.of("long.wav"), List.of(), ORIGIN));
    awaitPlaying(await(player.play("", ORIGIN)).getSeq(), "1");
    waitFor(() -> out.framesWritten() > RATE);
    waitFor(() -> Files.exists(data.resolve("player-state.bin")));
    out.setPlayed(RATE * 3 / 4);
    // What a restart after a kill -9 reads: the state file with the journal replayed over it.
    waitFor(
        () ->
            StateJournal.replay(new StateFile(data).load(), data)
                    .map(StateFile.Saved::positionMs)
                    .orElse(0L)
                == 750);
    assertTrue(
        new StateFile(data).load().get().positionMs() < 750,
        "the state file is not rewritten for the position");
    StateFile.Saved replayed = StateJournal.replay(new StateFile(data).load(), data).get();
    assertEquals(1, replayed.items().size(), "the queue comes from the state file");
  }

  @Test
  void manyPositionRecordsAreFoldedIntoTheStateFile() throws Exception {
    startWithPositionSaves(1);
    await(player.append(List.of("long.wav"), List.of(), ORIGIN));
    awaitPlaying(await(player.play("", ORIGIN)).getSeq(), "1");
    waitFor(() -> out.framesWritten() > RATE);
    out.setPlayed(RATE / 2);
    waitFor(() -> new StateFile(data).load().map(StateFile.Saved::positionMs).orElse(0L) == 500);
  }

  @Test
  void disabledOutputsStayDisabledAfterARestart() throws Exception {
    lane = new FakeStateLane();
    PlayerConfig config = PlayerConfig.builder().musicFolder(music).dataDir(data).build();
    player =
        new Player(
            config,
            lane,
            TrackCatalog.EMPTY,
            PcmTap.NONE,
            List.of(new ManualOutput("m"), new ManualOutput("r")));
    player.start();
    await(player.enableOutput("r", false, ORIGIN));
    player.close();
    player =
        new Player(
            config,
            lane,
            TrackCatalog.EMPTY,
            PcmTap.NONE,
            List.of(new ManualOutput("m"), new ManualOutput("r")));
    player.start();
    OutputsReply r = await(player.outputsState());
    assertTrue(r.getState().getOutputs(0).getEnabled());
    assertFalse(r.getState().getOutputs(1).getEnabled());
  }

  @Test
  void outputThatFailsToOpenIsReportedAndPlaybackGoesOn() throws Exception {
    start(new ManualOutput("broken").failOpen(true));
    await(player.append(List.of("a.wav"), List.of(), ORIGIN));
    long seq = await(player.play("", ORIGIN)).getSeq();
    FakeStateLane.Published err =
        lane.await(
            seq, p -> p.topic() == Topic.PLAYER && playerEvent(p).getCause() == Cause.CAUSE_ERROR);
    assertEquals("output_failed", playerEvent(err).getState().getError().getCode());
    lane.await(seq, p -> isStopped(p)); // played to the end on the fallback clock
  }

  @Test
  void outputsCanBeDisabledAndEnabledWithEvents() throws Exception {
    start(new ManualOutput("m"));
    OutputsReply r = await(player.enableOutput("m", false, ORIGIN));
    OutputsChanged ev = lane.events().get((int) r.getSeq() - 1).event().getOutputs();
    assertEquals(Cause.CAUSE_COMMAND, ev.getCause());
    assertFalse(ev.getState().getOutputs(0).getEnabled());
    assertEquals(r.getSeq(), await(player.enableOutput("m", false, ORIGIN)).getSeq()); // no-op
    assertEquals(Kind.NOT_FOUND, apiError(player.enableOutput("nope", true, ORIGIN)).kind());
    assertTrue(await(player.enableOutput("m", true, ORIGIN)).getState().getOutputs(0).getEnabled());
  }

  @Test
  void replayGainScalesTheNextItemsSamples() throws Exception {
    TrackCatalog catalog =
        new TrackCatalog() {
          @Override
          public Optional<CatalogTrack> byId(String trackId) {
            return Optional.empty();
          }

          @Override
          public Optional<CatalogTrack> byFile(Path file) {
            return Optional.of(
                new CatalogTrack(
                    "t", file, "", "", "", 0, new TrackGain(-6.0206, 0.5, Double.NaN, Double.NaN)));
          }
        };
    lane = new FakeStateLane();
    out = new ManualOutput("m").autoPlay(true);
    player =
        new Player(
            PlayerConfig.builder().musicFolder(music).dataDir(data).build(),
            lane,
            catalog,
            PcmTap.NONE,
            List.of(out));
    player.start();
    assertEquals(
        Kind.UNPROCESSABLE,
        apiError(
                player.replayGain(
                    ReplayGainConfig.newBuilder()
                        .setMode(io.tonearm.proto.v1.ReplayGainMode.REPLAY_GAIN_MODE_TRACK)
                        .setPreampDb(20)
                        .build(),
                    ORIGIN))
            .kind());
    await(
        player.replayGain(
            ReplayGainConfig.newBuilder()
                .setMode(io.tonearm.proto.v1.ReplayGainMode.REPLAY_GAIN_MODE_TRACK)
                .setPreventClipping(true)
                .build(),
            ORIGIN));
    await(player.append(List.of("a.wav"), List.of(), ORIGIN));
    long seq = await(player.play("", ORIGIN)).getSeq();
    lane.await(seq, p -> isStopped(p));
    float[] expected = TestWav.sine(440, RATE, 0, 30_000);
    float gain = (float) Math.pow(10, -6.0206 / 20);
    float[] got = out.all();
    assertEquals(expected.length, got.length);
    for (int i = 0; i < got.length; i++) {
      assertEquals(expected[i] * gain, got[i], 1e-6);
    }
  }

  @Test
  void entriesQueuedBeforeTheScanTakeTheCatalogDataWhenItArrives() throws Exception {
    Map<Path, TrackCatalog.CatalogTrack> known = new ConcurrentHashMap<>();
    TrackCatalog catalog =
        new TrackCatalog() {
          @Override
          public Optional<CatalogTrack> byId(String trackId) {
            return Optional.empty();
          }

          @Override
          public Optional<CatalogTrack> byFile(Path file) {
            return Optional.ofNullable(known.get(file));
          }
        };
    lane = new FakeStateLane();
    out = new ManualOutput("m");
    player =
        new Player(
            PlayerConfig.builder().musicFolder(music).dataDir(data).build(),
            lane,
            catalog,
            PcmTap.NONE,
            List.of(out));
    player.start();
    await(player.append(List.of("a.wav", "b.wav"), List.of(), ORIGIN));
    PlayerReply playing = await(player.play("", ORIGIN));
    assertEquals("", playing.getState().getCurrent().getTrack().getTrackId());
    Path a = music.resolve("a.wav").toRealPath();
    Path b = music.resolve("b.wav").toRealPath();
    known.put(
        a,
        new TrackCatalog.CatalogTrack(
            "t-a", a, "Song A", "Artist", "Album", 680, new TrackGain(-3, 0.5, -4, 0.6)));

    long before = lane.currentSeq();
    player.cataloged(List.of(a, b)); // b is not catalogued yet: stays as it was
    FakeStateLane.Published q = lane.await(before, p -> p.topic() == Topic.QUEUE);
    QueueChanged change = q.event().getQueue();
    assertEquals(Cause.CAUSE_OPENED, change.getCause());
    assertEquals(1, change.getUpdated().getItemsCount());
    Track t = change.getUpdated().getItems(0).getTrack();
    assertEquals("t-a", t.getTrackId());
    assertEquals("Song A", t.getTitle());
    assertEquals("Artist", t.getArtist());
    assertEquals("a.wav", t.getPath());
    // a is current: the player state says so too
    FakeStateLane.Published pl = lane.await(q.seq(), p -> p.topic() == Topic.PLAYER);
    assertEquals(Cause.CAUSE_OPENED, playerEvent(pl).getCause());
    assertEquals("t-a", playerEvent(pl).getState().getCurrent().getTrack().getTrackId());

    // Told again with nothing new: no event about a (b's priming may still publish its format).
    String aId = playing.getState().getCurrent().getItemId();
    long quiet = lane.currentSeq();
    player.cataloged(List.of(a));
    await(player.queue()); // the player thread has handled the notice
    assertTrue(
        lane.since(quiet).stream()
            .noneMatch(
                p ->
                    p.topic() == Topic.QUEUE
                        && p.event().getQueue().getUpdated().getItemsList().stream()
                            .anyMatch(i -> i.getItemId().equals(aId))),
        "no second update of a");
  }

  @Test
  void shuffledPlaybackPlaysEveryItemOnceThenStops() throws Exception {
    for (int i = 0; i < 5; i++) {
      TestWav.write(music.resolve("s" + i + ".wav"), RATE, 1, TestWav.sine(440, RATE, 0, 1000));
    }
    start(new ManualOutput("m").autoPlay(true));
    await(
        player.append(
            List.of("s0.wav", "s1.wav", "s2.wav", "s3.wav", "s4.wav"), List.of(), ORIGIN));
    assertTrue(await(player.shuffle(true, ORIGIN)).getState().getShuffle());
    PlayerReply r = await(player.play("", ORIGIN));
    lane.await(r.getSeq(), p -> isStopped(p));
    List<String> played = new ArrayList<>();
    played.add(r.getState().getCurrent().getItemId());
    lane.since(r.getSeq()).stream()
        .filter(p -> p.topic() == Topic.PLAYER)
        .filter(p -> playerEvent(p).getCause() == Cause.CAUSE_AUTO_ADVANCE)
        .filter(p -> playerEvent(p).getState().hasCurrent())
        .forEach(p -> played.add(playerEvent(p).getState().getCurrent().getItemId()));
    assertEquals(List.of("1", "2", "3", "4", "5"), played.stream().sorted().toList());
    assertEquals(5, out.all().length / 1000);
  }

  @Test
  void transportFramesCarryTheClockWhilePlayingOnly() throws Exception {
    start(new ManualOutput("m"));
    var source = player.transportSource();
    var view =
        source.normalize(io.tonearm.proto.v1.FrameView.newBuilder().setTopic("transport").build());
    assertEquals(30, view.getFps());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> source.normalize(view.toBuilder().setFps(121).build()));
    assertEquals(null, source.render(view, 0));
    await(player.append(List.of("long.wav"), List.of(), ORIGIN));
    await(player.play("", ORIGIN));
    waitFor(() -> out.framesWritten() == 2 * RATE);
    out.setPlayed(RATE);
    waitFor(
        () -> {
          var f = source.render(view, 0);
          return f != null && f.getTransport().getPosition().getPositionUs() == 1_000_000;
        });
    var frame = source.render(view, 0).getTransport();
    assertEquals("1", frame.getItemId());
    assertEquals(RATE, frame.getFramesPlayed());
    assertEquals(2000, frame.getDurationMs());
    assertEquals(1_000_000, frame.getLatencyUs()); // one second written ahead of the clock
    await(player.pause(ORIGIN));
    assertEquals(null, source.render(view, 0));
  }

  private List<io.tonearm.proto.v1.Error> errorsSince(long seq) {
    return lane.since(seq).stream()
        .filter(p -> p.topic() == Topic.PLAYER)
        .filter(p -> playerEvent(p).getCause() == Cause.CAUSE_ERROR)
        .map(p -> playerEvent(p).getState().getError())
        .toList();
  }

  private static float[] concat(float[] a, float[] b) {
    float[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** Waits for the PLAYING event that ends a LOADING of {@code itemId}. */
  private PlayerChanged awaitPlaying(long afterSeq, String itemId) throws InterruptedException {
    return playerEvent(
        lane.await(
            afterSeq,
            p ->
                p.topic() == Topic.PLAYER
                    && playerEvent(p).getState().getState() == PlaybackState.PLAYBACK_STATE_PLAYING
                    && playerEvent(p).getState().getCurrent().getItemId().equals(itemId)));
  }

  private static boolean advancedTo(FakeStateLane.Published p, String itemId) {
    return p.topic() == Topic.PLAYER
        && playerEvent(p).getCause() == Cause.CAUSE_AUTO_ADVANCE
        && playerEvent(p).getState().getCurrent().getItemId().equals(itemId);
  }

  private static boolean isStopped(FakeStateLane.Published p) {
    return p.topic() == Topic.PLAYER
        && playerEvent(p).getCause() == Cause.CAUSE_AUTO_ADVANCE
        && playerEvent(p).getState().getState() == PlaybackState.PLAYBACK_STATE_STOPPED;
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  static void waitFor(Condition c) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!c.holds()) {
      if (System.currentTimeMillis() > deadline) {
        fail("condition not reached within 10 s");
      }
      Thread.sleep(2);
    }
  }
}
