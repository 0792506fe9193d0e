package io.tonearm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.PlayerReply;
import io.tonearm.proto.v1.QueueReply;
import io.tonearm.proto.v1.VolumeRequest;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Typed commands over the socket, and the Ack after the event it caused. */
class SocketCommandsTest {

  @TempDir Path dir;

  private Daemon daemon;
  private TonearmClient client;

  @BeforeEach
  void start() throws Exception {
    TestMusic.wav(dir.resolve("a.wav"), 2);
    TestMusic.wav(dir.resolve("b.wav"), 2);
    daemon = TestDaemons.settled(TestDaemons.quiet(dir));
    client =
        TonearmClient.builder()
            .baseUri(URI.create("http://127.0.0.1:" + daemon.port()))
            .commandsOverSocket(true)
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    daemon.close();
  }

  @Test
  void typedCallsRunOverTheSocket() {
    QueueReply q = client.queue().replace(List.of("a.wav", "b.wav"), List.of()).execute();
    assertEquals(2, q.getQueue().getItemsCount());
    PlayerReply v = client.player().volume(23).execute();
    assertEquals(23, v.getState().getVolume());
    assertEquals(23, client.player().state().execute().getState().getVolume());
    assertEquals(
        q.getItemIds(1),
        client.player().play(q.getItemIds(1)).execute().getState().getCurrent().getItemId());
    client.player().stop().execute();
    String out = client.outputs().list().execute().getState().getOutputs(0).getOutputId();
    assertTrue(!client.outputs().disable(out).execute().getState().getOutputs(0).getEnabled());
    client.outputs().enable(out).execute();
    assertEquals(
        1, client.queue().remove(List.of(q.getItemIds(0))).execute().getQueue().getItemsCount());
    ServerErrorException e =
        assertThrows(ServerErrorException.class, () -> client.player().play("nope").execute());
    assertEquals("not_found", e.code());
    assertEquals(0, e.status());
    assertEquals(
        "not_found",
        assertThrows(ServerErrorException.class, () -> client.outputs().enable("nope").execute())
            .code());
    assertEquals(0, client.queue().clear().execute().getQueue().getItemsCount());
  }

  @Test
  void ackComesAfterTheEventItCausedOnTheSameSocket() throws Exception {
    List<Long> seen = new CopyOnWriteArrayList<>();
    Recorder r = new Recorder();
    try (EventStream s =
        client.events(
            EventStreamOptions.builder().topics("player").build(),
            new EventListener() {
              @Override
              public void onConnected(EventStream st, io.tonearm.proto.v1.Hello h) {
                r.onConnected(st, h);
              }

              @Override
              public void onEvent(EventStream st, Envelope e) {
                seen.add(e.getSeq());
              }
            })) {
      r.next(Recorder.Connected.class);
      for (int v = 1; v <= 30; v++) {
        boolean[] before = new boolean[1];
        PlayerReply reply =
            s.command(
                    "player.volume",
                    VolumeRequest.newBuilder().setVolume(v).build(),
                    Map.of(),
                    PlayerReply.parser())
                .thenApply(
                    p -> {
                      before[0] = seen.contains(p.getSeq()); // on the event loop, at the Ack
                      return p;
                    })
                .get(10, TimeUnit.SECONDS);
        assertEquals(v, reply.getState().getVolume());
        assertTrue(before[0], "event " + reply.getSeq() + " delivered before its Ack");
      }
      ExecutionException unknown =
          assertThrows(
              ExecutionException.class,
              () ->
                  s.command("player.fly", null, Map.of(), PlayerReply.parser())
                      .get(10, TimeUnit.SECONDS));
      assertEquals("unknown_command", ((ServerErrorException) unknown.getCause()).code());
      assertTrue(s.isConnected());
    }
  }
}
