package io.tonearm.daemon.player;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tonearm.daemon.api.ApiException;
import io.tonearm.daemon.dsp.PcmTap;
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
import io.tonearm.proto.v1.QueueChanged;
import io.tonearm.proto.v1.QueueReply;
import io.tonearm.proto.v1.RepeatMode;
import io.tonearm.proto.v1.ReplayGainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  static ApiException apiError(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof ApiException a) {
        return a;
      }
      throw e;
    }
    return fail("expected an ApiException");
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
    assertEquals(404, apiError(player.remove(List.of("1", "99"), ORIGIN)).status());
    assertEquals(404, apiError(player.append(List.of("missing.wav"), List.of(), ORIGIN)).status());
    assertEquals(403, apiError(player.append(List.of("/etc/passwd"), List.of(), ORIGIN)).status());
    assertEquals(403, apiError(player.append(List.of("../x.wav"), List.of(), ORIGIN)).status());
    assertEquals(
        403,
        apiError(player.append(List.of("a.wav", "/etc/hostname"), List.of(), ORIGIN)).status());
    assertEquals(422, apiError(player.insert(5, List.of("a.wav"), List.of(), ORIGIN)).status());
    assertEquals(422, apiError(player.move("1", 2, ORIGIN)).status());
    assertEquals(404, apiError(player.move("x", 0, ORIGIN)).status());
    assertEquals(404, apiError(player.append(List.of(), List.of("t1"), ORIGIN)).status());
    assertEquals(422, apiError(player.volume(101, ORIGIN)).status());
    assertEquals(409, apiError(player.seek(100, ORIGIN)).status());
    assertEquals(404, apiError(player.play("7", ORIGIN)).status());
    assertEquals(seq, lane.currentSeq());
    assertEquals(2, await(player.queue()).getQueue().getItemsCount());
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
    assertEquals(seq, await(player.clear(ORIGIN)).getSeq()); // a no-op publishes nothing
    assertEquals(seq, lane.currentSeq());
  }

  @Test
  void pausedPositionIsThePlayedFramesOfTheOutputClock() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("long.wav"), List.of(), ORIGIN));
    PlayerReply play = await(player.play("", ORIGIN));
    assertEquals(PlaybackState.PLAYBACK_STATE_PLAYING, play.getState().getState());
    assertEquals("1", play.getState().getCurrent().getItemId());
    assertEquals(2000, play.getState().getDurationMs());
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
    assertEquals(422, apiError(player.seek(2001, ORIGIN)).status());
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
    assertEquals(PlaybackState.PLAYBACK_STATE_PLAYING, r.getState().getState());
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
    seq = await(player.play("", ORIGIN)).getSeq();
    lane.await(
        seq,
        p -> p.topic() == Topic.PLAYER && playerEvent(p).getCause() == Cause.CAUSE_AUTO_ADVANCE);
    await(player.stop(ORIGIN));
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
  void nextAndPreviousMoveThroughTheQueue() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("a.wav", "b.wav", "long.wav"), List.of(), ORIGIN));
    assertEquals("1", await(player.next(ORIGIN)).getState().getCurrent().getItemId()); // stopped
    await(player.play("", ORIGIN));
    PlayerReply n = await(player.next(ORIGIN));
    assertEquals("2", n.getState().getCurrent().getItemId());
    assertEquals(PlaybackState.PLAYBACK_STATE_PLAYING, n.getState().getState());
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
    assertEquals(PlaybackState.PLAYBACK_STATE_PLAYING, p.getState().getState());
    assertEquals(0, p.getState().getQueueIndex());
  }

  @Test
  void restartRestoresQueuePositionAndModesPausedAndNeverReusesIds() throws Exception {
    start(new ManualOutput("m"));
    await(player.append(List.of("a.wav", "long.wav"), List.of(), ORIGIN));
    await(player.volume(40, ORIGIN));
    await(player.repeat(RepeatMode.REPEAT_MODE_ALL, ORIGIN));
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
    QueueReply more = await(player.append(List.of("b.wav"), List.of(), ORIGIN));
    assertTrue(Long.parseLong(more.getItemIds(0)) > 2, "ids are never reused");
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
    assertEquals(404, apiError(player.enableOutput("nope", true, ORIGIN)).status());
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
                    "t",
                    file,
                    "",
                    "",
                    "",
                    0,
                    new ReplayGain(-6.0206, 0.5, Double.NaN, Double.NaN)));
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
        422,
        apiError(
                player.replayGain(
                    ReplayGainConfig.newBuilder()
                        .setMode(io.tonearm.proto.v1.ReplayGainMode.REPLAY_GAIN_MODE_TRACK)
                        .setPreampDb(20)
                        .build(),
                    ORIGIN))
            .status());
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
    List<String> played = new java.util.ArrayList<>();
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
