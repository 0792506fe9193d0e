package io.tonearm.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.PlayerChanged;
import io.tonearm.proto.v1.PlayerState;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StreamHandlerTest {

  private static final Envelope EVENT =
      Envelope.newBuilder()
          .setSeq(300_001)
          .setEpoch("0123456789abcdef")
          .setServerTimeUs(1_733_400_000_000_000L)
          .setZone("default")
          .setPlayer(PlayerChanged.newBuilder().setState(PlayerState.newBuilder().setVolume(41)))
          .build();

  @Test
  void aMessageInOneBufferParsesInPlaceHeapOrDirect() throws Exception {
    byte[] b = EVENT.toByteArray();
    assertEquals(EVENT, StreamHandler.parse(Unpooled.wrappedBuffer(b)));
    ByteBuf heap = Unpooled.buffer(b.length + 8).writeZero(5).writeBytes(b).skipBytes(5);
    assertEquals(EVENT, StreamHandler.parse(heap), "read from the reader index");
    byte[] padded = new byte[b.length + 9];
    System.arraycopy(b, 0, padded, 4, b.length);
    ByteBuf slice = Unpooled.wrappedBuffer(padded).slice(4, b.length);
    assertEquals(EVENT, StreamHandler.parse(slice), "read from the array offset");
    ByteBuf direct = Unpooled.directBuffer(b.length + 8).writeZero(5).writeBytes(b).skipBytes(5);
    try {
      assertEquals(EVENT, StreamHandler.parse(direct));
    } finally {
      direct.release();
    }
  }

  @Test
  void aMessageJoinedFromFragmentsParsesTheSame() throws Exception {
    byte[] b = EVENT.toByteArray();
    CompositeByteBuf joined = Unpooled.compositeBuffer();
    joined.addComponent(true, Unpooled.wrappedBuffer(Arrays.copyOfRange(b, 0, 7)));
    joined.addComponent(true, Unpooled.wrappedBuffer(Arrays.copyOfRange(b, 7, 20)));
    joined.addComponent(true, Unpooled.wrappedBuffer(Arrays.copyOfRange(b, 20, b.length)));
    assertEquals(3, joined.nioBufferCount());
    assertEquals(EVENT, StreamHandler.parse(joined));
  }

  @Test
  void answersAPingWithAPongOfTheSameData() {
    io.netty.channel.embedded.EmbeddedChannel ch = new io.netty.channel.embedded.EmbeddedChannel();
    StreamRunner runner =
        new StreamRunner(
            StreamRunnerTest.settings(ch.eventLoop()),
            io.tonearm.client.EventStreamOptions.builder().topics("player").build(),
            new StreamRunnerTest.Silent());
    ch.pipeline().addLast(new StreamHandler(runner));
    ch.writeInbound(
        new io.netty.handler.codec.http.websocketx.PingWebSocketFrame(
            Unpooled.wrappedBuffer(new byte[] {4, 2})));
    io.netty.handler.codec.http.websocketx.PongWebSocketFrame pong = ch.readOutbound();
    assertEquals(Unpooled.wrappedBuffer(new byte[] {4, 2}), pong.content());
    pong.release();
    ch.close();
  }

  @Test
  void truncatedBytesAreMalformed() {
    byte[] b = EVENT.toByteArray();
    assertThrows(
        InvalidProtocolBufferException.class,
        () -> StreamHandler.parse(Unpooled.wrappedBuffer(Arrays.copyOf(b, b.length - 3))));
  }
}
