package io.tonearm.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.JobState;
import io.tonearm.proto.v1.LibraryTrack;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.PlaybackState;
import io.tonearm.proto.v1.PlayerReply;
import io.tonearm.proto.v1.QueueReply;
import io.tonearm.proto.v1.RepeatMode;
import io.tonearm.proto.v1.ReplayGainConfig;
import io.tonearm.proto.v1.ReplayGainMode;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every typed call of the SDK against the real daemon on a free port, with a small library. */
class TypedCallsTest {

  @TempDir static Path dir;

  private static Daemon daemon;
  private static TonearmClient client;

  @BeforeAll
  static void start() throws Exception {
    TestMusic.wav(dir.resolve("Alpha/one.wav"), 3);
    TestMusic.wav(dir.resolve("Alpha/two.wav"), 3);
    TestMusic.wav(dir.resolve("Beta/three.wav"), 3);
    daemon = TestDaemons.settled(TestDaemons.quiet(dir));
    client =
        TonearmClient.builder().baseUri(URI.create("http://127.0.0.1:" + daemon.port())).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    daemon.close();
  }

  private static ServerErrorException serverError(Call<?> call) {
    return assertThrows(ServerErrorException.class, call::execute);
  }

  @Test
  void playerCommandsChangeStateAndCarryTheirSeq() throws Exception {
    QueueReply q =
        client.queue().replace(List.of("Alpha/one.wav", "Alpha/two.wav"), List.of()).execute();
    assertEquals(2, q.getQueue().getItemsCount());
    String first = q.getItemIds(0);
    long before = client.player().state().execute().getSeq();

    PlayerReply played = client.player().play(first).execute();
    assertTrue(played.getSeq() > before);
    assertEquals(first, played.getState().getCurrent().getItemId());
    assertEquals(
        PlaybackState.PLAYBACK_STATE_PAUSED,
        client.player().pause().execute().getState().getState());
    assertTrue(
        client.player().toggle().execute().getState().getState()
            != PlaybackState.PLAYBACK_STATE_PAUSED);
    client.player().pause().execute();
    assertEquals(
        500_000, client.player().seek(500).execute().getState().getPosition().getPositionUs());
    assertEquals(40, client.player().volume(40).execute().getState().getVolume());
    assertTrue(client.player().mute(true).execute().getState().getMuted());
    assertFalse(client.player().mute(false).execute().getState().getMuted());
    assertTrue(client.player().shuffle(true).execute().getState().getShuffle());
    client.player().shuffle(false).execute();
    assertTrue(client.player().single(true).execute().getState().getSingle());
    client.player().single(false).execute();
    assertTrue(client.player().consume(true).execute().getState().getConsume());
    client.player().consume(false).execute();
    assertEquals(
        RepeatMode.REPEAT_MODE_ALL,
        client.player().repeat(RepeatMode.REPEAT_MODE_ALL).execute().getState().getRepeat());
    client.player().repeat(RepeatMode.REPEAT_MODE_NONE).execute();
    assertEquals(
        q.getItemIds(1), client.player().next().execute().getState().getCurrent().getItemId());
    assertEquals(first, client.player().previous().execute().getState().getCurrent().getItemId());
    client.player().play().execute();
    assertEquals(
        PlaybackState.PLAYBACK_STATE_STOPPED,
        client.player().stop().execute().getState().getState());
    assertEquals(
        40, client.player().state().async().get(5, TimeUnit.SECONDS).getState().getVolume());
  }

  @Test
  void serverErrorsCarryTheDaemonsCodeAndStatus() {
    ServerErrorException e = serverError(client.player().play("no-such-item"));
    assertEquals("not_found", e.code());
    assertEquals(404, e.status());
    client.player().stop().execute();
    ServerErrorException seek = serverError(client.player().seek(1000));
    assertEquals(409, seek.status());
    assertEquals("conflict", seek.code());
  }

  @Test
  void argumentsAreCheckedBeforeSending() {
    long seq = daemon.hub().currentSeq();
    assertThrows(IllegalArgumentException.class, () -> client.player().volume(101));
    assertThrows(IllegalArgumentException.class, () -> client.player().seek(-1));
    assertThrows(IllegalArgumentException.class, () -> client.queue().appendPaths(List.of()));
    assertThrows(IllegalArgumentException.class, () -> client.library().search("", 10));
    assertThrows(IllegalArgumentException.class, () -> client.playlists().create(" ", List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> client.outputs().replayGain(ReplayGainConfig.newBuilder().setPreampDb(16).build()));
    assertThrows(NullPointerException.class, () -> client.jobs().get(null));
    // Nothing reached the daemon: no event since has a client as its origin (events of the
    // daemon's own, a job an earlier test started finishing say, may come meanwhile).
    for (long s = seq + 1; s <= daemon.hub().currentSeq(); s++) {
      var event = daemon.hub().event(s);
      assertTrue(event == null || !commanded(event.envelope()), () -> event.envelope().toString());
    }
  }

  /** Whether the change an envelope carries names a client as its origin. */
  private static boolean commanded(Envelope e) {
    for (Object value : e.getAllFields().values()) {
      if (value instanceof Message m) {
        var origin = m.getDescriptorForType().findFieldByName("origin");
        if (origin != null
            && m.hasField(origin)
            && !((Origin) m.getField(origin)).getClient().isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void queueInsertMoveRemoveAndClear() {
    QueueReply q = client.queue().replace(List.of("Alpha/one.wav"), List.of()).execute();
    String one = q.getItemIds(0);
    q = client.queue().appendPaths(List.of("Alpha/two.wav")).execute();
    String two = q.getItemIds(0);
    q = client.queue().insert(0, List.of("Beta/three.wav"), List.of()).execute();
    String three = q.getItemIds(0);
    assertEquals(List.of(three, one, two), ids(q));
    assertEquals(List.of(three, two, one), ids(client.queue().move(one, 2).execute()));
    ServerErrorException e = serverError(client.queue().remove(List.of(two, "unknown")));
    assertEquals(404, e.status());
    assertEquals(3, client.queue().get().execute().getQueue().getItemsCount());
    assertEquals(List.of(three, one), ids(client.queue().remove(List.of(two)).execute()));
    String track = client.library().search("three", 5).execute().getTracks(0).getId();
    assertEquals(
        3, client.queue().appendTracks(List.of(track)).execute().getQueue().getItemsCount());
    assertEquals(0, client.queue().clear().execute().getQueue().getItemsCount());
    assertEquals(403, serverError(client.queue().appendPaths(List.of("/etc/passwd"))).status());
  }

  private static List<String> ids(QueueReply q) {
    return q.getQueue().getItemsList().stream().map(i -> i.getItemId()).toList();
  }

  @Test
  void outputsEnableDisableAndReplayGain() {
    var outputs = client.outputs().list().execute().getState();
    assertFalse(outputs.getOutputsList().isEmpty());
    String id = outputs.getOutputs(0).getOutputId();
    assertFalse(client.outputs().disable(id).execute().getState().getOutputs(0).getEnabled());
    assertTrue(client.outputs().enable(id).execute().getState().getOutputs(0).getEnabled());
    assertEquals("not_found", serverError(client.outputs().enable("nope")).code());
    var rg =
        ReplayGainConfig.newBuilder()
            .setMode(ReplayGainMode.REPLAY_GAIN_MODE_ALBUM)
            .setPreampDb(-3)
            .build();
    assertEquals(rg, client.outputs().replayGain(rg).execute().getState().getReplayGain());
  }

  @Test
  void libraryQueriesAndBrowsing() {
    assertEquals(3, client.library().summary().execute().getTrackCount());
    List<LibraryTrack> tracks =
        client.library().tracks(TrackQuery.all().withLimit(2)).execute().getTracksList();
    assertEquals(2, tracks.size());
    var page2 =
        client.library().tracks(TrackQuery.all().withLimit(2)).execute().getPage().getNextCursor();
    assertEquals(
        1,
        client
            .library()
            .tracks(TrackQuery.all().withLimit(2).withCursor(page2))
            .execute()
            .getTracksCount());
    LibraryTrack t = tracks.get(0);
    assertEquals(t.getId(), client.library().track(t.getId(), true).execute().getTrack().getId());
    assertEquals(404, serverError(client.library().track("0000000000000000", false)).status());
    client.library().albums(null, null, 50).execute();
    client.library().artists(null, 50).execute();
    client.library().genres(null, 50).execute();
    assertEquals(0, client.library().errors(null, 50).execute().getErrorsCount());
    var folder = client.library().folders().execute().getFolders(0);
    var top = client.library().dirs(folder.getId(), "").execute();
    assertEquals(List.of("Alpha", "Beta"), top.getDirsList());
    assertEquals(
        2,
        client
            .library()
            .tracks(TrackQuery.all().withFolder(folder.getId(), "Alpha"))
            .execute()
            .getTracksCount());
    assertEquals(404, serverError(client.library().trackArtwork(t.getId())).status());
    assertEquals(404, serverError(client.library().albumArtwork("0000000000000000")).status());
  }

  @Test
  void foldersAndScanJobs() throws Exception {
    Path extra = dir.getParent().resolve(dir.getFileName() + "-extra");
    TestMusic.wav(extra.resolve("four.wav"), 1);
    var added = client.library().addFolder(extra.toString(), true).execute();
    assertTrue(added.getSeq() > 0);
    var scan = client.library().scan(false, List.of(added.getFolder().getId())).execute();
    var job = awaitJob(scan.getJobId());
    assertEquals(JobState.JOB_STATE_COMPLETED, job.getState());
    assertEquals(4, client.library().summary().execute().getTrackCount());
    assertTrue(
        client.jobs().list().execute().getJobsList().stream()
            .anyMatch(j -> j.getId().equals(scan.getJobId())));
    assertEquals(409, serverError(client.jobs().cancel(scan.getJobId())).status());
    client.library().removeFolder(added.getFolder().getId()).execute();
    assertEquals(3, client.library().summary().execute().getTrackCount());
  }

  private static io.tonearm.proto.v1.Job awaitJob(String id) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      var j = client.jobs().get(id).execute().getJob();
      if (j.getState() != JobState.JOB_STATE_QUEUED && j.getState() != JobState.JOB_STATE_RUNNING) {
        return j;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("job " + id + " did not finish");
  }

  @Test
  void playlistsLifecycleAndM3u() {
    List<String> trackIds =
        client.library().tracks(TrackQuery.all()).execute().getTracksList().stream()
            .map(LibraryTrack::getId)
            .toList();
    var created = client.playlists().create("Mix", trackIds.subList(0, 2)).execute();
    String id = created.getPlaylist().getSummary().getId();
    assertTrue(
        client.playlists().list().execute().getPlaylistsList().stream()
            .anyMatch(p -> p.getId().equals(id)));
    assertEquals(
        "Mixed",
        client.playlists().rename(id, "Mixed").execute().getPlaylist().getSummary().getName());
    var withThird = client.playlists().add(id, trackIds.subList(2, 3), 0).execute();
    assertEquals(3, client.playlists().get(id).execute().getPlaylist().getItemsCount());
    String firstItem = withThird.getPlaylist().getItems(0).getItemId();
    assertEquals(
        firstItem,
        client.playlists().move(id, firstItem, 2).execute().getPlaylist().getItems(2).getItemId());
    assertEquals(
        2,
        client.playlists().remove(id, List.of(firstItem)).execute().getPlaylist().getItemsCount());
    byte[] m3u = client.playlists().m3u(id).execute();
    assertTrue(new String(m3u, StandardCharsets.UTF_8).contains(".wav"));
    var imported = client.playlists().importM3u("Again", m3u).execute();
    assertEquals(2, imported.getPlaylist().getItemsCount());
    assertEquals(0, client.playlists().clear(id).execute().getPlaylist().getItemsCount());
    client.playlists().delete(id).execute();
    client.playlists().delete(imported.getPlaylist().getSummary().getId()).execute();
    assertEquals("not_found", serverError(client.playlists().get(id)).code());
  }

  @Test
  void analysisJobLoudnessAndWaveform() throws Exception {
    String track = client.library().search("one", 5).execute().getTracks(0).getId();
    assertEquals(404, serverError(client.analysis().loudness(track)).status());
    var job = client.analysis().analyze(List.of(track), false).execute();
    assertEquals(JobState.JOB_STATE_COMPLETED, awaitJob(job.getJobId()).getState());
    var loudness = client.analysis().loudness(track).execute();
    assertTrue(
        loudness.getIntegratedLufs() < -3 && loudness.getIntegratedLufs() > -12, "" + loudness);
    byte[] dat = client.analysis().waveform(track, 256, 8).execute();
    assertEquals(2, dat[0]); // audiowaveform .dat version 2
    assertArrayEquals(new byte[0], new byte[0]);
    client.analysis().resetMeters().execute();
    client.analysis().analyzeAll(true).execute();
  }

  @Test
  void deadDaemonFailsWithUnreachable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (TonearmClient dead =
        client.newBuilder().port(port).callTimeout(Duration.ofSeconds(2)).build()) {
      UnreachableException e =
          assertThrows(UnreachableException.class, () -> dead.player().state().execute());
      assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
      ExecutionException async =
          assertThrows(
              ExecutionException.class,
              () -> dead.player().play().async().get(5, TimeUnit.SECONDS));
      assertTrue(async.getCause() instanceof UnreachableException);
    }
  }

  @Test
  void pingMeasuresTheRoundTripOverTheSocket() throws Exception {
    Recorder r = new Recorder();
    try (EventStream s = client.events(EventStreamOptions.builder().topics("player").build(), r)) {
      r.next(Recorder.Connected.class);
      Duration rtt = s.ping().get(5, TimeUnit.SECONDS);
      assertTrue(!rtt.isNegative() && rtt.compareTo(Duration.ofSeconds(5)) < 0, rtt.toString());
    }
  }
}
