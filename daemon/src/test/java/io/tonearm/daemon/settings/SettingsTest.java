package io.tonearm.daemon.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.tonearm.daemon.dsp.Enhancement;
import io.tonearm.daemon.dsp.EnhancementSettings;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.library.RecordingLane;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.EnhancementConfig;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.SavePresetRequest;
import io.tonearm.proto.v1.SettingsChanged;
import io.tonearm.proto.v1.SettingsReply;
import io.tonearm.proto.v1.SettingsState;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {

  @TempDir Path data;
  RecordingLane lane;
  Enhancement chain;
  Settings settings;

  @BeforeEach
  void setUp() {
    start();
  }

  private void start() {
    lane = new RecordingLane();
    chain = new Enhancement();
    settings = new Settings(data, lane, chain);
  }

  /** The command as HTTP would reach it: the JSON body parsed as the edge parses it. */
  private SettingsReply call(String method, String path, String json) throws Exception {
    Origin origin = Origin.newBuilder().setClient("http:test").setCommand(command(path)).build();
    CompletionStage<SettingsReply> r;
    if (method.equals("DELETE")) {
      r = settings.deletePreset(path.substring(path.lastIndexOf('/') + 1), origin);
    } else if (path.endsWith("/enhancement")) {
      EnhancementConfig.Builder b = EnhancementConfig.newBuilder();
      JsonFormat.parser().merge(json, b);
      r = settings.setEnhancement(b.build(), origin);
    } else if (path.endsWith("/presets")) {
      SavePresetRequest.Builder b = SavePresetRequest.newBuilder();
      JsonFormat.parser().merge(json, b);
      r = settings.savePreset(b.getName(), b.hasChain() ? b.getChain() : null, origin);
    } else if (path.endsWith("/reset")) {
      r = settings.reset(origin);
    } else {
      r = settings.get();
    }
    try {
      return r.toCompletableFuture().join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  private static String command(String path) {
    if (path.endsWith("/enhancement")) {
      return "settings.enhancement";
    }
    return path.endsWith("/reset") ? "settings.reset" : "settings.preset";
  }

  private static final String FULL_CHAIN =
      "{\"input_gain_db\": 0, \"width\": 1, \"output_gain_db\": 0,"
          + " \"bands\": [{\"shape\": \"FILTER_SHAPE_PEAKING\", \"frequency_hz\": %s,"
          + " \"gain_db\": 3, \"q\": %s}],"
          + " \"compressor\": {\"threshold_db\": -20, \"ratio\": %s, \"knee_db\": 6,"
          + " \"attack_ms\": 10, \"release_ms\": 100, \"makeup_db\": 0},"
          + " \"limiter\": {\"enabled\": true, \"ceiling_dbtp\": %s, \"release_ms\": 50}}";

  private static String custom(String hz, String q, String ratio, String ceiling) {
    return "{\"enabled\": true, \"intensity\": 1, \"custom\": "
        + String.format(FULL_CHAIN, hz, q, ratio, ceiling)
        + "}";
  }

  @Test
  void aPresetAtHalfIntensityMovesEveryParameterHalfWayFromNeutral() throws Exception {
    SettingsReply r =
        call(
            "POST",
            "/api/v1/settings/enhancement",
            "{\"enabled\": true, \"preset\": \"punchy\", \"intensity\": 0.5}");
    EnhancementSettings full = BuiltInPresets.ALL.get("punchy");
    assertEquals(full.scaled(0.5), chain.settings());
    assertTrue(chain.settings().enabled());
    assertEquals(1 + (full.compressor().ratio() - 1) / 2, chain.settings().compressor().ratio());
    assertEquals(full.bands().get(0).gainDb() / 2, chain.settings().bands().get(0).gainDb());
    assertEquals(
        full.bands().get(0).gainDb() / 2, r.getState().getEffective().getBands(0).getGainDb());
    Envelope e = lane.events().get(lane.events().size() - 1);
    assertEquals(r.getSeq(), e.getSeq());
    SettingsChanged c = e.getSettings();
    assertEquals("punchy", c.getEnhancement().getPreset());
    assertEquals(Cause.CAUSE_COMMAND, c.getCause());
    assertEquals("settings.enhancement", c.getOrigin().getCommand());
    assertEquals("http:test", c.getOrigin().getClient());
  }

  @Test
  void theSameSettingsAgainPublishNothing() throws Exception {
    String body = "{\"enabled\": true, \"preset\": \"warm\", \"intensity\": 1}";
    call("POST", "/api/v1/settings/enhancement", body);
    int events = lane.events().size();
    SettingsReply r = call("POST", "/api/v1/settings/enhancement", body);
    assertEquals(events, lane.events().size());
    assertEquals(lane.currentSeq(), r.getSeq());
  }

  @ParameterizedTest
  @CsvSource({
    "1000, 1, -2, -1, custom.compressor.ratio",
    "30000, 1, 2, -1, custom.bands[0].frequency_hz",
    "1000, 0, 2, -1, custom.bands[0].q",
    "'\"NaN\"', 1, 2, -1, custom.bands[0].frequency_hz",
    "1000, 1, 2, 0.5, custom.limiter.ceiling_dbtp"
  })
  void badValuesAreRefusedNamingTheFieldAndChangeNothing(
      String hz, String q, String ratio, String ceiling, String field) throws Exception {
    call("POST", "/api/v1/settings/enhancement", custom("1000", "1", "2", "-1"));
    EnhancementSettings before = chain.settings();
    SettingsState stateBefore = call("GET", "/api/v1/settings", "").getState();
    int events = lane.events().size();
    DomainException e =
        assertThrows(
            DomainException.class,
            () -> call("POST", "/api/v1/settings/enhancement", custom(hz, q, ratio, ceiling)));
    assertEquals(DomainException.Kind.UNPROCESSABLE, e.kind());
    assertEquals(field, e.details().get("field"));
    assertTrue(e.getMessage().contains(field), e.getMessage());
    assertEquals(before, chain.settings());
    assertEquals(stateBefore, call("GET", "/api/v1/settings", "").getState());
    assertEquals(events, lane.events().size());
  }

  @Test
  void anUnknownPresetIsNotFoundAndIntensityIsBounded() {
    DomainException e =
        assertThrows(
            DomainException.class,
            () ->
                call(
                    "POST",
                    "/api/v1/settings/enhancement",
                    "{\"enabled\": true, \"preset\": \"nope\", \"intensity\": 1}"));
    assertEquals(DomainException.Kind.NOT_FOUND, e.kind());
    assertEquals("preset", e.details().get("field"));
    e =
        assertThrows(
            DomainException.class,
            () ->
                call(
                    "POST",
                    "/api/v1/settings/enhancement",
                    "{\"enabled\": true, \"preset\": \"warm\", \"intensity\": 1.5}"));
    assertEquals("intensity", e.details().get("field"));
    assertTrue(lane.events().isEmpty());
  }

  @Test
  void userPresetsAreSavedListedPersistedAndDeleted() throws Exception {
    call("POST", "/api/v1/settings/enhancement", custom("2500", "2", "3", "-2"));
    SettingsReply saved = call("POST", "/api/v1/settings/presets", "{\"name\": \"my club\"}");
    List<String> names =
        saved.getState().getPresetsList().stream()
            .map(p -> p.getName() + (p.getBuiltIn() ? "*" : ""))
            .toList();
    assertEquals(
        List.of("gentle*", "warm*", "bright*", "punchy*", "loud*", "spoken word*", "my club"),
        names);
    assertEquals(2500, saved.getState().getPresets(6).getChain().getBands(0).getFrequencyHz(), 0);
    call(
        "POST",
        "/api/v1/settings/enhancement",
        "{\"enabled\": true, \"preset\": \"my club\", \"intensity\": 0.25}");
    EnhancementSettings running = chain.settings();

    start(); // a restart: the same data dir
    assertEquals(running, chain.settings());
    assertEquals(
        "my club", call("GET", "/api/v1/settings", "").getState().getEnhancement().getPreset());
    assertEquals(
        DomainException.Kind.CONFLICT,
        conflict("DELETE", "/api/v1/settings/presets/my club"),
        "in use");
    call("POST", "/api/v1/settings/enhancement", "{\"preset\": \"warm\", \"intensity\": 1}");
    SettingsReply deleted = call("DELETE", "/api/v1/settings/presets/my club", "");
    assertEquals(6, deleted.getState().getPresetsCount());
    assertEquals(
        "my club", lane.events().get(lane.events().size() - 1).getSettings().getPresetDeleted());
    assertEquals(
        DomainException.Kind.CONFLICT,
        conflict("POST", "/api/v1/settings/presets", "{\"name\": \"warm\"}"));
  }

  private DomainException.Kind conflict(String method, String path, String body) {
    return assertThrows(DomainException.class, () -> call(method, path, body)).kind();
  }

  private DomainException.Kind conflict(String method, String path) {
    return conflict(method, path, "");
  }

  @Test
  void aRenderInAnUnknownFormatIsRefusedNamingTheField() {
    Origin origin = Origin.newBuilder().setClient("http:test").build();
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () ->
                settings
                    .render("t1", io.tonearm.proto.v1.RenderFileFormat.UNRECOGNIZED, origin)
                    .toCompletableFuture()
                    .join());
    DomainException d = (DomainException) e.getCause();
    assertEquals(DomainException.Kind.UNPROCESSABLE, d.kind());
    assertEquals("format", d.details().get("field"));
  }

  @Test
  void resetReturnsToTheDefaultAndIsOneEvent() throws Exception {
    call(
        "POST",
        "/api/v1/settings/enhancement",
        "{\"enabled\": true, \"preset\": \"loud\", \"intensity\": 1}");
    SettingsReply r = call("POST", "/api/v1/settings/reset", "");
    assertTrue(lane.events().get(lane.events().size() - 1).getSettings().getReset());
    assertFalse(r.getState().getEnhancement().getEnabled());
    assertEquals(EnhancementSettings.NEUTRAL, chain.settings());
    int events = lane.events().size();
    call("POST", "/api/v1/settings/reset", "");
    assertEquals(events, lane.events().size(), "already default: nothing published");
  }

  private final List<io.tonearm.daemon.player.Crossfade> told =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private SettingsReply crossfade(String json) throws Exception {
    io.tonearm.proto.v1.CrossfadeConfig.Builder b =
        io.tonearm.proto.v1.CrossfadeConfig.newBuilder();
    JsonFormat.parser().merge(json, b);
    Origin origin =
        Origin.newBuilder().setClient("http:test").setCommand("settings.crossfade").build();
    try {
      return settings.setCrossfade(b.build(), origin).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  @Test
  void crossfadeIsOneEventToldToThePlayerPersistedAndReset() throws Exception {
    settings = new Settings(data, lane, chain, told::add);
    assertEquals(io.tonearm.daemon.player.Crossfade.OFF.seconds(), told.get(0).seconds());
    SettingsReply r =
        crossfade("{\"seconds\": 4, \"mixramp_db\": -17, \"mixramp_delay_seconds\": 2}");
    Envelope last = lane.events().get(lane.events().size() - 1);
    assertEquals(4, last.getSettings().getCrossfade().getSeconds());
    assertEquals("settings.crossfade", last.getSettings().getOrigin().getCommand());
    assertEquals(last.getSettings().getState(), r.getState());
    assertEquals(new io.tonearm.daemon.player.Crossfade(4, -17, 2, true), told.get(1));
    int events = lane.events().size();
    crossfade("{\"seconds\": 4, \"mixramp_db\": -17, \"mixramp_delay_seconds\": 2}");
    assertEquals(events, lane.events().size(), "the same again: nothing published");

    told.clear();
    settings.close();
    settings = new Settings(data, new RecordingLane(), new Enhancement(), told::add);
    assertEquals(new io.tonearm.daemon.player.Crossfade(4, -17, 2, true), told.get(0));
    assertEquals(
        4, settings.get().toCompletableFuture().join().getState().getCrossfade().getSeconds());

    settings.reset(Origin.getDefaultInstance()).toCompletableFuture().join();
    assertEquals(io.tonearm.daemon.player.Crossfade.OFF.seconds(), told.get(1).seconds());
    assertEquals(-1, told.get(1).mixrampDelaySeconds() <= 0 ? -1 : 0);
  }

  @ParameterizedTest
  @CsvSource({
    "'{\"seconds\": -1}', seconds",
    "'{\"seconds\": 31}', seconds",
    "'{\"seconds\": \"NaN\"}', seconds",
    "'{\"mixramp_db\": 1}', mixramp_db",
    "'{\"mixramp_delay_seconds\": 31}', mixramp_delay_seconds"
  })
  void crossfadeOutOfRangeIsRefusedNamingTheField(String json, String field) throws Exception {
    settings = new Settings(data, lane, chain, told::add);
    crossfade("{\"seconds\": 2}");
    int events = lane.events().size();
    DomainException e = assertThrows(DomainException.class, () -> crossfade(json));
    assertEquals(DomainException.Kind.UNPROCESSABLE, e.kind());
    assertEquals(field, e.details().get("field"));
    assertEquals(events, lane.events().size());
    assertEquals(2, told.get(told.size() - 1).seconds());
  }

  @Test
  void replayGainGoesThroughItsOwnerAndIsOneSettingsEventWhicheverCommandChangedIt()
      throws Exception {
    List<io.tonearm.proto.v1.ReplayGainConfig> applied =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    settings.attach(
        io.tonearm.proto.v1.OutputFormatConfig.newBuilder().setOutputRateHz(48_000).build(),
        (rg, origin) -> {
          if (rg.getPreampDb() > 15) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                DomainException.outOfRange("preamp_db", rg.getPreampDb(), "-15 to 15"));
          }
          applied.add(rg);
          settings.replayGainChanged(rg, origin); // as the player does
          return java.util.concurrent.CompletableFuture.completedFuture(rg);
        });
    io.tonearm.proto.v1.ReplayGainConfig album =
        io.tonearm.proto.v1.ReplayGainConfig.newBuilder()
            .setMode(io.tonearm.proto.v1.ReplayGainMode.REPLAY_GAIN_MODE_ALBUM)
            .setPreampDb(2)
            .build();
    Origin origin = Origin.newBuilder().setCommand("settings.replay_gain").build();
    int events = lane.events().size();
    SettingsReply r = settings.setReplayGain(album, origin).toCompletableFuture().join();
    assertEquals(List.of(album), applied);
    assertEquals(events + 1, lane.events().size(), "one settings event, not two");
    assertEquals(album, lane.events().get(events).getSettings().getReplayGain());
    assertEquals(lane.events().get(events).getSeq(), r.getSeq());
    assertEquals(album, r.getState().getReplayGain());
    assertEquals(48_000, r.getState().getOutput().getOutputRateHz());

    CompletionException bad =
        assertThrows(
            CompletionException.class,
            () ->
                settings
                    .setReplayGain(album.toBuilder().setPreampDb(16).build(), origin)
                    .toCompletableFuture()
                    .join());
    assertEquals("preamp_db", ((DomainException) bad.getCause()).details().get("field"));
    assertEquals(events + 1, lane.events().size());

    io.tonearm.proto.v1.ReplayGainConfig track =
        album.toBuilder()
            .setMode(io.tonearm.proto.v1.ReplayGainMode.REPLAY_GAIN_MODE_TRACK)
            .build();
    Origin mpd = Origin.newBuilder().setCommand("replay_gain_mode").build();
    settings.replayGainChanged(track, mpd); // another path: MPD or outputs.replaygain
    SettingsState now = settings.get().toCompletableFuture().join().getState();
    assertEquals(track, now.getReplayGain());
    assertEquals(mpd, lane.events().get(lane.events().size() - 1).getSettings().getOrigin());
    settings.replayGainChanged(album, null); // restored at start: no event
    assertEquals(album, settings.get().toCompletableFuture().join().getState().getReplayGain());
    assertEquals(events + 2, lane.events().size());
  }
}
