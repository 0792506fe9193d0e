package io.tonearm.client.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.tonearm.client.EventStreamOptions;
import io.tonearm.proto.v1.ClientMessage;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Hello;
import io.tonearm.proto.v1.PlayerChanged;
import io.tonearm.proto.v1.Pong;
import io.tonearm.proto.v1.QueueChanged;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * The runner's resume point across a connection cut, driven by hand on an embedded channel (the
 * daemon side is scripted: a hello, some of its snapshots, the pong).
 */
class StreamRunnerTest {

  static final class Silent implements StreamRunner.Sink {
    @Override
    public void connected(Hello hello) {}

    @Override
    public void snapshot(Envelope e) {}

    @Override
    public void event(Envelope e) {}

    @Override
    public void frame(Envelope e) {}

    @Override
    public void control(Envelope e) {}

    @Override
    public void disconnected(int code, String reason, long reconnectInMillis) {}
  }

  private final EmbeddedChannel ch = new EmbeddedChannel();

  private StreamRunner runner() {
    return new StreamRunner(
        settings(ch.eventLoop()),
        EventStreamOptions.builder().topics("player", "queue").build(),
        new Silent());
  }

  /** A stream's settings on {@code loop} for tests that never connect (port 1, no token). */
  static StreamRunner.Settings settings(io.netty.channel.EventLoop loop) {
    return new StreamRunner.Settings(
        URI.create("http://127.0.0.1:1"), loop, false, 1, 5, 1000, 0, 1 << 20, null, null, null);
  }

  private static Envelope hello(String epoch, long seq) {
    return Envelope.newBuilder()
        .setEpoch(epoch)
        .setHello(Hello.newBuilder().setEpoch(epoch).setSeq(seq).setRecovered(false))
        .build();
  }

  private static Envelope playerSnapshot(String epoch, long seq) {
    return Envelope.newBuilder()
        .setEpoch(epoch)
        .setSeq(seq)
        .setPlayer(PlayerChanged.getDefaultInstance())
        .build();
  }

  private static Envelope queueSnapshot(String epoch, long seq) {
    return Envelope.newBuilder()
        .setEpoch(epoch)
        .setSeq(seq)
        .setQueue(QueueChanged.getDefaultInstance())
        .build();
  }

  private ClientMessage sent() throws Exception {
    BinaryWebSocketFrame f = ch.readOutbound();
    try {
      return ClientMessage.parseFrom(ByteBufUtil.getBytes(f.content()));
    } finally {
      f.release();
    }
  }

  @Test
  void cutAmongTheSnapshotsReconnectsForNewSnapshotsNotAResume() {
    StreamRunner r = runner();
    r.received(ch, hello("e", 4));
    r.received(ch, playerSnapshot("e", 4));
    // ...the queue's snapshot and the pong never come
    r.ended(StreamRunner.ABNORMAL, "cut", false);
    assertFalse(r.wsUri().toString().contains("resume="), r.wsUri().toString());
  }

  @Test
  void thePongAfterTheSnapshotsMakesThePositionResumable() throws Exception {
    StreamRunner r = runner();
    r.received(ch, hello("e", 4));
    ClientMessage ping = sent();
    assertTrue(ping.hasPing(), "a ping follows a snapshot hello");
    r.received(ch, playerSnapshot("e", 4));
    r.received(ch, queueSnapshot("e", 4));
    assertFalse(r.wsUri().toString().contains("resume="));
    r.received(
        ch,
        Envelope.newBuilder()
            .setEpoch("e")
            .setPong(Pong.newBuilder().setClientTimeUs(ping.getPing().getClientTimeUs()))
            .build());
    r.received(ch, playerSnapshot("e", 5)); // an event after the snapshots
    r.ended(StreamRunner.ABNORMAL, "cut", false);
    assertTrue(r.wsUri().toString().endsWith("&resume=e%3A5"), r.wsUri().toString());
  }

  @Test
  void aResumedHelloIsResumableAtOnce() throws Exception {
    StreamRunner r = runner();
    r.received(ch, hello("e", 4));
    assertTrue(sent().hasPing());
    r.received(
        ch,
        Envelope.newBuilder()
            .setEpoch("e")
            .setHello(Hello.newBuilder().setEpoch("e").setSeq(9).setRecovered(true))
            .build());
    assertNull(ch.readOutbound(), "no ping is needed after a resumed hello");
    r.received(ch, playerSnapshot("e", 7));
    assertTrue(r.wsUri().toString().endsWith("&resume=e%3A7"), r.wsUri().toString());
  }

  @Test
  void theCloseFrameSaysByeWith1000EveryTime() {
    for (int i = 0; i < 2; i++) {
      var close =
          new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(
              true, 0, StreamRunner.BYE.duplicate());
      org.junit.jupiter.api.Assertions.assertEquals(1000, close.statusCode());
      org.junit.jupiter.api.Assertions.assertEquals("bye", close.reasonText());
      close.release();
    }
  }

  @Test
  void onEpollMessagesAreCopiedToHeapBuffers() {
    // What the WebSocket decoder copies a frame's payload into (ByteBufAllocator.buffer): an array
    // StreamHandler.parse decodes in place. (Epoll reads into direct memory whatever the channel's
    // allocator prefers: EpollRecvByteAllocatorHandle asks it for a direct buffer.)
    ByteBuf payload = StreamRunner.allocator(true).buffer(100);
    try {
      assertTrue(payload.hasArray());
    } finally {
      payload.release();
    }
    assertTrue(StreamRunner.allocator(false) == ByteBufAllocator.DEFAULT);
  }
}
