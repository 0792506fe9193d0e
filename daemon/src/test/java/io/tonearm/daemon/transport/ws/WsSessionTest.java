package io.tonearm.daemon.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.tonearm.daemon.events.EventHub;
import io.tonearm.daemon.events.Topic;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Hello;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.PlayerChanged;
import io.tonearm.proto.v1.PlayerState;
import java.io.ByteArrayOutputStream;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WsSessionTest {

  @Test
  void aResumeWritesTheHelloThenEveryMissedFrameInOrderInFewBuffers() throws Exception {
    EventHub hub = new EventHub(1024, 1 << 20, () -> 0);
    Fanout fanout = new Fanout((s, n) -> {});
    hub.addListener(fanout);
    long from = hub.publish(Topic.PLAYER, player(0), player(0));
    EmbeddedChannel ch = new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter());
    ch.runPendingTasks();
    for (int i = 1; i <= 300; i++) {
      hub.publish(Topic.PLAYER, player(i), player(i));
    }
    ch.runPendingTasks(); // no session yet: nothing written
    WsSession s = session(ch, hub, fanout);
    EventHub.Start start = hub.start(EnumSet.of(Topic.PLAYER), s::sees, hub.epoch(), from);
    assertTrue(start.recovered());

    s.controlUnflushed(Envelope.newBuilder().setHello(Hello.newBuilder().setSeq(1)).build());
    s.startState(EnumSet.of(Topic.PLAYER), start);
    assertNull(ch.readOutbound(), "the hello waits for the replay");
    s.drain(java.util.List.of(), java.util.List.of()); // writes the replay and flushes both

    BinaryWebSocketFrame hello = ch.readOutbound();
    assertTrue(Envelope.parseFrom(hello.content().nioBuffer()).hasHello(), "the hello first");
    hello.release();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    int packed = 1; // buffers of COPY_BYTES filled with whole frames, in order
    int room = WsSession.COPY_BYTES;
    for (long seq = from + 1; seq <= hub.currentSeq(); seq++) {
      java.nio.ByteBuffer f = hub.event(seq).webSocketFrame(false);
      byte[] b = new byte[f.remaining()];
      f.get(b);
      expected.writeBytes(b);
      if (b.length > room) {
        packed++;
        room = WsSession.COPY_BYTES;
      }
      room -= b.length;
    }
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    int buffers = 0;
    for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      got.writeBytes(bytes);
      b.release();
      buffers++;
    }
    assertEquals(
        java.util.HexFormat.of().formatHex(expected.toByteArray()),
        java.util.HexFormat.of().formatHex(got.toByteArray()),
        "every missed frame, in seq order, byte for byte");
    assertTrue(packed > 1, "the replay fills more than one buffer");
    assertEquals(packed, buffers, "whole frames packed into buffers, not one buffer per event");
    s.release();
    ch.finishAndReleaseAll();
  }

  @Test
  void aControlMessageAfterCopiedFramesLeavesAfterThem() {
    EventHub hub = new EventHub(64, 1 << 20, () -> 0);
    Fanout fanout = new Fanout((s, n) -> {});
    hub.addListener(fanout);
    long from = hub.publish(Topic.PLAYER, player(0), player(0));
    EmbeddedChannel ch = new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter());
    ch.runPendingTasks();
    hub.publish(Topic.PLAYER, player(1), player(1));
    ch.runPendingTasks();
    WsSession s = session(ch, hub, fanout);
    s.startState(
        EnumSet.of(Topic.PLAYER), hub.start(Set.of(Topic.PLAYER), s::sees, hub.epoch(), from));
    s.drain(java.util.List.of(), java.util.List.of());
    s.control(Envelope.newBuilder().setHello(Hello.getDefaultInstance()).build());

    ByteBuf event = ch.readOutbound();
    assertEquals(hub.event(from + 1).webSocketFrame(false), event.nioBuffer(), "the event first");
    event.release();
    BinaryWebSocketFrame control = ch.readOutbound();
    assertTrue(control != null, "then the control message");
    control.release();
    s.release();
    ch.finishAndReleaseAll();
  }

  private static Envelope.Builder player(int volume) {
    return Envelope.newBuilder()
        .setPlayer(
            PlayerChanged.newBuilder()
                .setState(PlayerState.newBuilder().setVolume(volume % 101))
                .setOrigin(
                    Origin.newBuilder().setClientName("client " + volume + "x".repeat(100))));
  }

  private static WsSession session(EmbeddedChannel ch, EventHub hub, Fanout f) {
    return new WsSession(
        ch,
        "t",
        "default",
        io.tonearm.daemon.access.Principal.LOOPBACK,
        false,
        hub,
        null,
        f,
        new io.tonearm.daemon.ops.Metrics(),
        1 << 20,
        new AtomicIntegerArray(Topic.values().length));
  }
}
