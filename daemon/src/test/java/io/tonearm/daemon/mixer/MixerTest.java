package io.tonearm.daemon.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.decode.StemLayout;
import io.tonearm.daemon.dsp.MixerSettings;
import io.tonearm.daemon.dsp.StemMixer;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.library.RecordingLane;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.MixMode;
import io.tonearm.proto.v1.MixerReply;
import io.tonearm.proto.v1.MixerVolumesRequest;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.StemStripRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MixerTest {

  @TempDir Path data;
  final RecordingLane lane = new RecordingLane();
  final StemMixer engine = new StemMixer();
  final Origin origin = Origin.newBuilder().setClient("http:test").build();

  static <T> T join(CompletionStage<T> s) {
    try {
      return s.toCompletableFuture().join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  @Test
  void volumesAreAppliedToTheEnginePublishedAndKeptAcrossARestart() {
    Mixer m = new Mixer(data, lane, engine);
    MixerReply r =
        join(m.setVolumes(MixerVolumesRequest.newBuilder().setVocalVolume(50).build(), origin));
    assertEquals(50, r.getState().getVocalVolume());
    assertEquals(100, r.getState().getInstrumentalVolume());
    assertEquals(0.125f, engine.settings().vocal(), 1e-6, "the player volume's cubic curve");
    assertEquals(1f, engine.settings().instrumental());
    List<Envelope> events = lane.matching(Envelope::hasMixer);
    assertEquals(1, events.size());
    assertEquals(Cause.CAUSE_COMMAND, events.get(0).getMixer().getCause());
    assertEquals(r.getSeq(), events.get(0).getSeq());
    m.close();

    StemMixer fresh = new StemMixer();
    Mixer again = new Mixer(data, new RecordingLane(), fresh);
    assertEquals(50, join(again.get()).getState().getVocalVolume());
    assertEquals(0.125f, fresh.settings().vocal(), 1e-6);
    again.close();
  }

  @Test
  void aStripChangesOnlyTheFieldsGivenAndDefaultsDropOut() {
    Mixer m = new Mixer(data, lane, engine);
    join(m.setStrip("drums", StemStripRequest.newBuilder().setGainDb(-6).build(), origin));
    MixerReply r =
        join(m.setStrip("drums", StemStripRequest.newBuilder().setMute(true).build(), origin));
    assertEquals(-6, r.getState().getStripsMap().get("drums").getGainDb());
    assertTrue(r.getState().getStripsMap().get("drums").getMute());
    MixerSettings.Strip s = engine.settings().strip("drums");
    assertEquals(0.501f, s.gain(), 0.001);
    assertTrue(s.mute());
    join(
        m.setStrip(
            "drums", StemStripRequest.newBuilder().setGainDb(0).setMute(false).build(), origin));
    assertTrue(join(m.get()).getState().getStripsMap().isEmpty());
    m.close();
  }

  @Test
  void badValuesAreRefusedAndChangeNothing() {
    Mixer m = new Mixer(data, lane, engine);
    DomainException range =
        assertThrows(
            DomainException.class,
            () ->
                join(
                    m.setVolumes(
                        MixerVolumesRequest.newBuilder()
                            .setVocalVolume(20)
                            .setInstrumentalVolume(101)
                            .build(),
                        origin)));
    assertEquals("out_of_range", range.code());
    assertThrows(
        DomainException.class,
        () -> join(m.setVolumes(MixerVolumesRequest.getDefaultInstance(), origin)));
    assertThrows(
        DomainException.class,
        () -> join(m.setStrip("drums", StemStripRequest.newBuilder().setPan(1.5).build(), origin)));
    assertThrows(
        DomainException.class,
        () ->
            join(m.setStrip("../x", StemStripRequest.newBuilder().setMute(true).build(), origin)));
    assertThrows(
        DomainException.class,
        () ->
            join(
                m.setStrip(
                    "bass", StemStripRequest.newBuilder().setGainDb(Double.NaN).build(), origin)));
    assertEquals(100, join(m.get()).getState().getVocalVolume());
    assertTrue(join(m.get()).getState().getStripsMap().isEmpty());
    assertTrue(lane.matching(Envelope::hasMixer).isEmpty());
    assertEquals(MixerSettings.NEUTRAL.vocal(), engine.settings().vocal());
    m.close();
  }

  @Test
  void theStemsBeingMixedAreBroadcastWhenTheyChange() throws Exception {
    Mixer m = new Mixer(data, lane, engine);
    StemLayout two = new StemLayout(List.of("drums", "vocals"), List.of(false, true));
    engine.mix(new float[4 * 10], 0, 10, two, 48_000);
    engine.mix(new float[4 * 10], 0, 10, two, 48_000);
    join(m.get()); // the layout report runs on the mixer thread before this
    List<Envelope> events = lane.matching(Envelope::hasMixer);
    assertEquals(1, events.size());
    assertEquals(Cause.CAUSE_AUTO_ADVANCE, events.get(0).getMixer().getCause());
    assertEquals(MixMode.MIX_MODE_STEMS, events.get(0).getMixer().getState().getMode());
    assertEquals("vocals", events.get(0).getMixer().getState().getStems(1).getName());
    assertTrue(events.get(0).getMixer().getState().getStems(1).getVocal());
    assertFalse(events.get(0).getMixer().getState().getStems(0).getVocal());
    engine.process(new float[20], 0, 10, 2, 48_000);
    join(m.get());
    assertEquals(
        MixMode.MIX_MODE_VOCAL_REDUCTION,
        lane.matching(Envelope::hasMixer).get(1).getMixer().getState().getMode());
    m.close();
  }

  @Test
  void twoZonesMixersOnOneThreadKeepTheirOwnSettingsEnginesAndFiles() throws Exception {
    Path dirA = java.nio.file.Files.createDirectories(data.resolve("a"));
    Path dirB = java.nio.file.Files.createDirectories(data.resolve("b"));
    RecordingLane laneB = new RecordingLane();
    StemMixer engineB = new StemMixer();
    java.util.concurrent.ExecutorService thread = Mixer.newThread();
    try {
      Mixer a = new Mixer(dirA, lane, engine, thread);
      Mixer b = new Mixer(dirB, laneB, engineB, thread);
      join(b.setVolumes(MixerVolumesRequest.newBuilder().setVocalVolume(0).build(), origin));
      join(b.setStrip("drums", StemStripRequest.newBuilder().setMute(true).build(), origin));
      assertEquals(0f, engineB.settings().vocal());
      assertTrue(engineB.settings().stems().get("drums").mute());
      assertEquals(MixerSettings.NEUTRAL, engine.settings(), "zone a's engine untouched");
      assertEquals(100, join(a.get()).getState().getVocalVolume());
      assertTrue(join(a.get()).getState().getStripsMap().isEmpty());
      assertEquals(0, lane.matching(Envelope::hasMixer).size(), "no event on zone a's lane");
      assertEquals(2, laneB.matching(Envelope::hasMixer).size());
      assertTrue(java.nio.file.Files.exists(dirB.resolve("mixer.pb")));
      assertFalse(java.nio.file.Files.exists(dirA.resolve("mixer.pb")));

      // Closed (its zone removed): commands refused, nothing published, the shared thread goes on.
      b.close();
      DomainException closed =
          assertThrows(
              DomainException.class,
              () ->
                  join(
                      b.setVolumes(
                          MixerVolumesRequest.newBuilder().setVocalVolume(9).build(), origin)));
      assertEquals("unavailable", closed.code());
      assertEquals(2, laneB.matching(Envelope::hasMixer).size());
      join(a.setVolumes(MixerVolumesRequest.newBuilder().setVocalVolume(70).build(), origin));
      assertEquals(70, join(a.get()).getState().getVocalVolume());

      // Restored per zone.
      StemMixer restoredB = new StemMixer();
      Mixer againB = new Mixer(dirB, new RecordingLane(), restoredB, thread);
      assertEquals(0, join(againB.get()).getState().getVocalVolume());
      assertTrue(restoredB.settings().stems().get("drums").mute());
      StemMixer restoredA = new StemMixer();
      Mixer againA = new Mixer(dirA, new RecordingLane(), restoredA, thread);
      assertEquals(70, join(againA.get()).getState().getVocalVolume());
      assertTrue(restoredA.settings().stems().isEmpty());
    } finally {
      thread.shutdown();
    }
  }
}
