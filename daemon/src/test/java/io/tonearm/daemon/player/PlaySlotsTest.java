package io.tonearm.daemon.player;

import static io.tonearm.daemon.player.PlayerTest.ORIGIN;
import static io.tonearm.daemon.player.PlayerTest.apiError;
import static io.tonearm.daemon.player.PlayerTest.await;
import static io.tonearm.daemon.player.PlayerTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.analysis.AnalysisTap;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.library.TrackCatalog;
import io.tonearm.daemon.output.ManualOutput;
import io.tonearm.proto.v1.PlaybackState;
import io.tonearm.proto.v1.PlayerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bound on active players shared by a daemon's zones, and the buffers a stop gives back. */
class PlaySlotsTest {

  @TempDir Path music;
  @TempDir Path data;
  private final List<Player> players = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    int rate = PlayerTest.RATE;
    TestWav.write(music.resolve("long.wav"), rate, 1, TestWav.sine(440, rate, 0, 4 * rate));
  }

  @AfterEach
  void tearDown() {
    players.forEach(Player::close);
  }

  private Player player(String name, PlaySlots slots, AnalysisTap tap) throws IOException {
    Path dir = data.resolve(name);
    Files.createDirectories(dir);
    Player p =
        new Player(
            PlayerConfig.builder().musicFolder(music).dataDir(dir).playSlots(slots).build(),
            new FakeStateLane(),
            TrackCatalog.EMPTY,
            tap,
            List.of(new ManualOutput(name))); // never heard: stays LOADING, active
    p.start();
    players.add(p);
    await(p.append(List.of("long.wav"), List.of(), ORIGIN));
    return p;
  }

  private static PlaybackState state(Player p) {
    return await(p.state()).getState().getState();
  }

  @Test
  void slotsAreTakenUpToTheBoundAndGivenBack() {
    PlaySlots slots = new PlaySlots(2);
    slots.take();
    slots.take();
    DomainException full = assertThrows(DomainException.class, slots::take);
    assertEquals("too_many_playing_zones", full.code());
    assertEquals(DomainException.Kind.CONFLICT, full.kind());
    assertEquals("2", full.details().get("max"));
    assertEquals(2, slots.taken());
    slots.give();
    slots.take();
    assertEquals(2, slots.taken());
    assertThrows(IllegalArgumentException.class, () -> new PlaySlots(0));
  }

  @Test
  void aPlayPastTheBoundIsRefusedAndChangesNothing() throws Exception {
    PlaySlots slots = new PlaySlots(1);
    Player a = player("a", slots, new AnalysisTap());
    Player b = player("b", slots, new AnalysisTap());
    await(a.play("", ORIGIN));
    assertEquals(1, slots.taken());
    PlayerState before = await(b.state()).getState().toBuilder().clearPosition().build();

    DomainException refused = apiError(b.play("", ORIGIN));
    assertEquals("too_many_playing_zones", refused.code());
    assertEquals(
        before,
        await(b.state()).getState().toBuilder().clearPosition().build(),
        "the refused player is as it was");
    assertEquals("too_many_playing_zones", apiError(b.play("1", ORIGIN)).code());
    assertEquals("too_many_playing_zones", apiError(b.toggle(ORIGIN)).code());

    await(a.pause(ORIGIN)); // paused still holds its decoded audio, so its slot
    assertEquals("too_many_playing_zones", apiError(b.play("", ORIGIN)).code());

    await(a.stop(ORIGIN));
    assertEquals(0, slots.taken());
    await(b.play("", ORIGIN));
    assertTrue(state(b) != PlaybackState.PLAYBACK_STATE_STOPPED);
    assertEquals(1, slots.taken());
    assertEquals("too_many_playing_zones", apiError(a.play("", ORIGIN)).code());
  }

  @Test
  void aStopGivesBackThePipeBlocksAndThePlayedRing() throws Exception {
    PlaySlots slots = new PlaySlots(1);
    AnalysisTap tap = new AnalysisTap();
    Player a = player("a", slots, tap);
    await(a.play("", ORIGIN));
    waitFor(() -> a.audioBlocksHeld() > 10 && tap.ring().holdsPlanes());

    await(a.stop(ORIGIN));
    waitFor(() -> a.audioBlocksHeld() == 0);
    assertFalse(tap.ring().holdsPlanes());

    await(a.play("", ORIGIN)); // made again for the next play
    waitFor(() -> a.audioBlocksHeld() > 10 && tap.ring().holdsPlanes());
  }

  @Test
  void aClosedPlayerGivesItsSlotBackAndARestoreWithoutASlotStaysStopped() throws Exception {
    PlaySlots slots = new PlaySlots(1);
    Player a = player("a", slots, new AnalysisTap());
    await(a.play("", ORIGIN));
    a.close();
    players.remove(a);
    assertEquals(0, slots.taken(), "a closed player holds no slot");

    Player b = player("b", slots, new AnalysisTap());
    await(b.play("", ORIGIN));
    Player again = // a's saved state says playing; restored paused only with a free slot
        new Player(
            PlayerConfig.builder()
                .musicFolder(music)
                .dataDir(data.resolve("a"))
                .playSlots(slots)
                .build(),
            new FakeStateLane(),
            TrackCatalog.EMPTY,
            new AnalysisTap(),
            List.of(new ManualOutput("a")));
    again.start();
    players.add(again);
    PlayerState s = await(again.state()).getState();
    assertEquals(PlaybackState.PLAYBACK_STATE_STOPPED, s.getState());
    assertEquals("1", s.getCurrent().getItemId(), "the item stays current");
    assertEquals("too_many_playing_zones", s.getError().getCode());
    assertEquals(1, slots.taken());

    await(b.stop(ORIGIN));
    await(again.play("", ORIGIN));
    assertEquals(1, slots.taken());
  }
}
