package io.tonearm.daemon.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.daemon.testing.WsProbe;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.ClientMessage;
import io.tonearm.proto.v1.Command;
import io.tonearm.proto.v1.CommandExecuted;
import io.tonearm.proto.v1.CommandSource;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Ping;
import io.tonearm.proto.v1.PlayerReply;
import io.tonearm.proto.v1.SeekRequest;
import io.tonearm.proto.v1.VolumeRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands on the event socket, against a real daemon on port 0 and the JDK's WebSocket client. */
class WsCommandsTest {

  @TempDir Path data;
  Daemon daemon;

  @BeforeEach
  void setUp() throws Exception {
    daemon = TestDaemons.settled(TestDaemons.quiet(data));
  }

  @AfterEach
  void tearDown() {
    daemon.close();
  }

  private static ClientMessage volume(String requestId, int volume) {
    return ClientMessage.newBuilder()
        .setRequestId(requestId)
        .setCommand(
            Command.newBuilder()
                .setName("player.volume")
                .setRequest(Any.pack(VolumeRequest.newBuilder().setVolume(volume).build())))
        .build();
  }

  @Test
  void ackFollowsTheEventItCausedEvenBehindABacklog() throws Exception {
    long base = daemon.hub().currentSeq();
    // 4 MB of player events the socket must replay first: its send buffer holds 64 KiB, so the
    // command is answered while most of the backlog is still owed.
    for (int i = 0; i < 250; i++) {
      TestDaemons.publishPlayer(daemon, i % 100, 16_000);
    }
    String query = "?topics=player&resume=" + daemon.hub().epoch() + ":" + base;
    try (WsProbe ws = WsProbe.connect(daemon.port(), query)) {
      ws.send(volume("v1", 55));
      long lastState = 0;
      Envelope e;
      while (!(e = ws.next()).hasAck()) {
        if (e.getSeq() > 0) {
          lastState = e.getSeq();
          assertFalse(e.hasError(), e.toString());
        }
      }
      assertEquals("v1", e.getAck().getRequestId());
      long seq = e.getAck().getSeq();
      assertTrue(seq > base + 250);
      assertEquals(seq, lastState, "the Ack came before the event it caused");
      PlayerReply reply = e.getAck().getReply().unpack(PlayerReply.class);
      assertEquals(seq, reply.getSeq());
      assertEquals(55, reply.getState().getVolume());
    }
  }

  @Test
  void commandsCarryTheirSenderAndAreBroadcastOnTopicCommands() throws Exception {
    try (WsProbe watcher = WsProbe.connect(daemon.port(), "?topics=commands");
        WsProbe ws =
            WsProbe.connect(daemon.port(), "?topics=player&client=kitchen&source=automation")) {
      Envelope hello = ws.nextWhere(Envelope::hasHello);
      assertEquals("kitchen", hello.getHello().getClientName());
      watcher.nextWhere(Envelope::hasHello);
      ws.send(volume("v2", 31));
      Envelope changed =
          ws.nextWhere(x -> x.hasPlayer() && x.getPlayer().getCause() == Cause.CAUSE_COMMAND);
      assertEquals(31, changed.getPlayer().getState().getVolume());
      assertEquals("kitchen", changed.getPlayer().getOrigin().getClientName());
      assertEquals(
          CommandSource.COMMAND_SOURCE_AUTOMATION, changed.getPlayer().getOrigin().getSource());
      assertEquals("player.volume", changed.getPlayer().getOrigin().getCommand());
      assertTrue(changed.getPlayer().getOrigin().getClient().startsWith("ws:"));

      CommandExecuted done = watcher.nextWhere(Envelope::hasCommands).getCommands();
      assertEquals("player.volume", done.getName());
      assertEquals(changed.getSeq(), done.getSeq());
      assertEquals("kitchen", done.getOrigin().getClientName());
      assertEquals(31, done.getRequest().unpack(VolumeRequest.class).getVolume());

      // A command over HTTP, with its sender in headers; a refused one is not broadcast.
      assertEquals(422, postVolume("{\"volume\":101}").statusCode());
      assertEquals(200, postVolume("{\"volume\":32}").statusCode());
      CommandExecuted http = watcher.nextWhere(Envelope::hasCommands).getCommands();
      assertEquals(32, http.getRequest().unpack(VolumeRequest.class).getVolume());
      assertEquals("phone", http.getOrigin().getClientName());
      assertEquals(CommandSource.COMMAND_SOURCE_ASSISTANT, http.getOrigin().getSource());
      assertTrue(http.getOrigin().getClient().startsWith("http:"));

      // Queries are not broadcast.
      assertEquals(200, TestDaemons.get(daemon.port(), "/api/v1/player").statusCode());
      assertNull(watcher.poll(300));
    }
  }

  @Test
  void badCommandsGetAnErrorWithTheirRequestIdAndTheConnectionStaysOpen() throws Exception {
    try (WsProbe ws = WsProbe.connect(daemon.port(), "?topics=player")) {
      ws.nextWhere(Envelope::hasHello);
      ws.send(volume("", 10).toBuilder().setRequestId("").build());
      assertError(ws, "", "bad_request");

      ws.send(
          ClientMessage.newBuilder()
              .setRequestId("u1")
              .setCommand(Command.newBuilder().setName("player.fly"))
              .build());
      assertError(ws, "u1", "unknown_command");

      ws.send(
          ClientMessage.newBuilder()
              .setRequestId("h1")
              .setCommand(Command.newBuilder().setName("library.waveform"))
              .build());
      Envelope httpOnly = assertError(ws, "h1", "http_only");
      assertEquals(
          "/api/v1/library/tracks/{id}/waveform",
          httpOnly.getError().getDetailsOrThrow("path"),
          httpOnly.toString());

      ws.send(
          ClientMessage.newBuilder()
              .setRequestId("t1")
              .setCommand(
                  Command.newBuilder()
                      .setName("player.seek")
                      .setRequest(Any.pack(VolumeRequest.newBuilder().setVolume(3).build())))
              .build());
      Envelope wrong = assertError(ws, "t1", "wrong_request_type");
      assertEquals(
          SeekRequest.getDescriptor().getFullName(),
          wrong.getError().getDetailsOrThrow("expected"));

      ws.send(volume("r1", 101));
      assertError(ws, "r1", "out_of_range");

      // A request without a field the command needs is refused, not run with the default (volume
      // 0).
      ws.send(
          ClientMessage.newBuilder()
              .setRequestId("m1")
              .setCommand(
                  Command.newBuilder()
                      .setName("player.volume")
                      .setRequest(Any.pack(VolumeRequest.getDefaultInstance())))
              .build());
      assertEquals(
          "volume", assertError(ws, "m1", "missing_field").getError().getDetailsOrThrow("field"));

      // A body this daemon does not know: field 99 of ClientMessage.
      byte[] unknown =
          ClientMessage.newBuilder()
              .setRequestId("b1")
              .setUnknownFields(
                  com.google.protobuf.UnknownFieldSet.newBuilder()
                      .addField(
                          99,
                          com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                              .addVarint(1)
                              .build())
                      .build())
              .build()
              .toByteArray();
      ws.sendRaw(unknown);
      assertError(ws, "b1", "bad_request");

      ws.send(ClientMessage.newBuilder().setPing(Ping.newBuilder().setClientTimeUs(7)).build());
      assertEquals(7, ws.nextWhere(Envelope::hasPong).getPong().getClientTimeUs());
      ws.send(volume("ok", 12));
      assertEquals("ok", ws.nextWhere(Envelope::hasAck).getAck().getRequestId());
    }
  }

  @Test
  void jsonClientsSendCommandsWithTypedRequests() throws Exception {
    try (WsProbe ws = WsProbe.connect(daemon.port(), "?topics=player&format=json")) {
      ws.nextWhere(Envelope::hasHello);
      ws.sendText("{\"request_id\":\"x1\",\"frobnicate\":{}}");
      assertError(ws, "x1", "bad_request");
      ws.sendText(
          "{\"request_id\":\"j1\",\"command\":{\"name\":\"player.volume\",\"request\":"
              + "{\"@type\":\"type.googleapis.com/tonearm.v1.VolumeRequest\",\"volume\":12}}}");
      Envelope ack = ws.nextWhere(Envelope::hasAck);
      assertEquals("j1", ack.getAck().getRequestId());
      assertEquals(12, ack.getAck().getReply().unpack(PlayerReply.class).getState().getVolume());
      ws.sendText("{\"request_id\":\"j2\",\"command\":{\"name\":\"player.pause\"}}");
      assertEquals("j2", ws.nextWhere(Envelope::hasAck).getAck().getRequestId());
    }
  }

  @Test
  void protocolMdNamesEveryCommandWithItsRoute() throws Exception {
    String doc = java.nio.file.Files.readString(Path.of("../docs/PROTOCOL.md"));
    for (io.tonearm.daemon.command.Command<?> c : daemon.commands().commands()) {
      String row =
          "| `"
              + c.name()
              + "` | `"
              + c.method()
              + " "
              + c.path()
              + "` | "
              + c.scope().wireName()
              + " |";
      assertTrue(doc.contains(row), "PROTOCOL.md lacks " + row);
      assertTrue(daemon.router().match(c.method(), c.path().replace("{id}", "x")).isPresent());
    }
    for (io.tonearm.daemon.command.CommandTable.HttpRoute r : daemon.commands().httpOnly()) {
      assertTrue(
          doc.contains("`" + r.name() + "` (`" + r.method() + " " + r.path() + "`)"),
          "PROTOCOL.md lacks " + r.name());
    }
  }

  private HttpResponse<String> postVolume(String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + daemon.port() + "/api/v1/player/volume"))
                .header("Content-Type", "application/json")
                .header("X-Tonearm-Client", "phone")
                .header("X-Tonearm-Source", "assistant")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static Envelope assertError(WsProbe ws, String requestId, String code)
      throws InterruptedException {
    Envelope e = ws.nextWhere(x -> x.hasError() || x.hasAck());
    assertTrue(e.hasError(), e.toString());
    assertEquals(requestId, e.getError().getRequestId());
    assertEquals(code, e.getError().getCode(), e.getError().getMessage());
    return e;
  }
}
