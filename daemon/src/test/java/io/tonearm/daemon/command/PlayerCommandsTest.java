package io.tonearm.daemon.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import io.tonearm.daemon.api.ApiException;
import io.tonearm.daemon.api.ApiRequest;
import io.tonearm.daemon.api.ApiResponse;
import io.tonearm.daemon.api.Router;
import io.tonearm.daemon.audio.WallClock;
import io.tonearm.daemon.dsp.Enhancement;
import io.tonearm.daemon.dsp.PcmTap;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.events.EventHub;
import io.tonearm.daemon.library.TrackCatalog;
import io.tonearm.daemon.output.ManualOutput;
import io.tonearm.daemon.player.Player;
import io.tonearm.daemon.player.PlayerConfig;
import io.tonearm.daemon.player.TestWav;
import io.tonearm.daemon.settings.Settings;
import io.tonearm.proto.v1.CommandExecuted;
import io.tonearm.proto.v1.PlayerReply;
import io.tonearm.proto.v1.QueueReply;
import io.tonearm.proto.v1.VolumeRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlayerCommandsTest {

  @TempDir Path music;
  @TempDir Path data;
  Player player;
  EventHub hub;
  Router router = new Router();

  @BeforeEach
  void setUp() throws Exception {
    TestWav.write(music.resolve("a.wav"), 44_100, 1, TestWav.sine(440, 44_100, 0, 4410));
    hub = new EventHub(1000, 1 << 20, WallClock::micros);
    player =
        new Player(
            PlayerConfig.builder().musicFolder(music).dataDir(data).build(),
            hub,
            TrackCatalog.EMPTY,
            PcmTap.NONE,
            List.of(new ManualOutput("m")));
    player.start();
    HttpCommands.mount(
        router,
        new CommandRunner(
            CommandTable.of(player, new Settings(data, hub, new Enhancement())), hub));
  }

  @AfterEach
  void tearDown() {
    player.close();
  }

  private ApiResponse call(String method, String path, String json) {
    Router.Match m = router.match(method, path).orElseThrow();
    ApiRequest req =
        new ApiRequest(
            method,
            path,
            m.params(),
            Map.of(),
            json.getBytes(StandardCharsets.UTF_8),
            false,
            "http:test");
    try {
      return m.handler().handle(req).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof DomainException d
          ? ApiException.from(d)
          : (RuntimeException) e.getCause();
    } catch (DomainException d) {
      throw ApiException.from(d);
    }
  }

  @Test
  void everyDocumentedEndpointIsRouted() {
    for (String p :
        List.of(
            "play",
            "pause",
            "toggle",
            "stop",
            "next",
            "previous",
            "seek",
            "volume",
            "mute",
            "shuffle",
            "repeat",
            "single",
            "consume")) {
      assertTrue(router.match("POST", "/api/v1/player/" + p).isPresent(), p);
    }
    for (String p : List.of("append", "insert", "move", "remove", "clear")) {
      assertTrue(router.match("POST", "/api/v1/queue/" + p).isPresent(), p);
    }
    assertTrue(router.match("GET", "/api/v1/player").isPresent());
    assertTrue(router.match("GET", "/api/v1/queue").isPresent());
    assertTrue(router.match("POST", "/api/v1/queue").isPresent());
    assertTrue(router.match("GET", "/api/v1/outputs").isPresent());
    assertTrue(router.match("POST", "/api/v1/outputs/m/enable").isPresent());
    assertTrue(router.match("POST", "/api/v1/outputs/replaygain").isPresent());
    assertTrue(router.match("GET", "/api/v1/settings").isPresent());
    for (String p : List.of("enhancement", "presets", "reset")) {
      assertTrue(router.match("POST", "/api/v1/settings/" + p).isPresent(), p);
    }
    assertTrue(router.match("DELETE", "/api/v1/settings/presets/mine").isPresent());
  }

  @Test
  void aSettingOutOfRangeIsA422NamingTheField() {
    ApiException e =
        assertThrows(
            ApiException.class,
            () ->
                call(
                    "POST",
                    "/api/v1/settings/enhancement",
                    "{\"enabled\": true, \"preset\": \"warm\", \"intensity\": \"NaN\"}"));
    assertEquals(422, e.status());
    assertEquals("intensity", e.details().get("field"));
  }

  @Test
  void jsonCommandsReplyWithSeqAndState() {
    ApiResponse.Proto q =
        (ApiResponse.Proto) call("POST", "/api/v1/queue/append", "{\"paths\":[\"a.wav\"]}");
    QueueReply qr = (QueueReply) q.message();
    assertEquals(List.of("1"), qr.getItemIdsList());
    ApiResponse.Proto v =
        (ApiResponse.Proto) call("POST", "/api/v1/player/volume", "{\"volume\":30}");
    PlayerReply pr = (PlayerReply) v.message();
    assertEquals(30, pr.getState().getVolume());
    assertTrue(pr.getSeq() > qr.getSeq());
  }

  @Test
  void badInputIsRefusedWithTheRightStatus() {
    assertEquals(
        400,
        assertThrows(ApiException.class, () -> call("POST", "/api/v1/player/volume", "{volume"))
            .status());
    assertEquals(
        400,
        assertThrows(ApiException.class, () -> call("POST", "/api/v1/player/seek", "{\"nope\":1}"))
            .status());
    assertEquals(
        422,
        assertThrows(
                ApiException.class, () -> call("POST", "/api/v1/player/volume", "{\"volume\":-1}"))
            .status());
    assertEquals(
        400,
        assertThrows(
                ApiException.class,
                () -> call("POST", "/api/v1/queue/insert", "{\"paths\":[\"a.wav\"]}"))
            .status());
    assertEquals(
        400,
        assertThrows(ApiException.class, () -> call("POST", "/api/v1/queue/move", "{}")).status());
  }

  @Test
  void aCommandExecutedCarriesTheOriginAndTheRequestAsAnyPackMakesIt() {
    PlayerReply v =
        (PlayerReply)
            ((ApiResponse.Proto) call("POST", "/api/v1/player/volume", "{\"volume\":37}"))
                .message();
    CommandExecuted done = hub.event(v.getSeq() + 1).envelope().getCommands();
    assertEquals("player.volume", done.getName());
    assertEquals(v.getSeq(), done.getSeq());
    assertEquals("player.volume", done.getOrigin().getCommand());
    assertEquals("http:test", done.getOrigin().getClient());
    Any packed = Any.pack(VolumeRequest.newBuilder().setVolume(37).build());
    assertEquals(packed, done.getRequest());
    assertEquals(packed.toByteString(), done.getRequest().toByteString());
    assertEquals(
        "player.volume",
        hub.event(v.getSeq()).envelope().getPlayer().getOrigin().getCommand(),
        "the PlayerChanged names the command too");

    PlayerReply p =
        (PlayerReply) ((ApiResponse.Proto) call("POST", "/api/v1/player/pause", "")).message();
    CommandExecuted pause = hub.event(hub.currentSeq()).envelope().getCommands();
    assertEquals("player.pause", pause.getName());
    assertEquals(p.getSeq(), pause.getSeq());
    assertTrue(!pause.hasRequest(), "a command without a body carries no request");
  }

  @Test
  void aVolumeReplyCarriesTheStateItsEventCarried() {
    long last = 0;
    for (int volume : new int[] {11, 12, 12, 13}) {
      PlayerReply v =
          (PlayerReply)
              ((ApiResponse.Proto)
                      call("POST", "/api/v1/player/volume", "{\"volume\":" + volume + "}"))
                  .message();
      assertEquals(volume, v.getState().getVolume());
      if (v.getSeq() == last) {
        continue; // 12 again changed nothing: the seq of the event that set it, the state of now
      }
      // The same state, its position stamped at the same moment, not a second one made after.
      assertEquals(hub.event(v.getSeq()).envelope().getPlayer().getState(), v.getState());
      last = v.getSeq();
    }
  }
}
