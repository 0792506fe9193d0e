package io.tonearm.daemon.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tonearm.proto.v1.Envelope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EncodedEventTest {

  private static EncodedEvent event(int epochChars) {
    return new EncodedEvent(
        1, Topic.PLAYER, Envelope.newBuilder().setSeq(1).setEpoch("e".repeat(epochChars)).build());
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  @Test
  void webSocketFrameUsesEachLengthFormOfRfc6455() {
    for (int chars : new int[] {10, 300, 70_000}) {
      EncodedEvent e = event(chars);
      byte[] payload = e.binary();
      ByteBuffer f = e.webSocketFrame(false);
      assertEquals(0x82, f.get() & 0xFF, "FIN + binary");
      int len = f.get() & 0xFF;
      assertEquals(0, len & 0x80, "server frames are not masked");
      long n = len < 126 ? len : len == 126 ? f.getShort() & 0xFFFF : f.getLong();
      assertEquals(payload.length, n);
      assertArrayEquals(payload, bytes(f));
    }
  }

  @Test
  void textFrameCarriesTheJsonAndEveryCallGetsItsOwnView() {
    EncodedEvent e = event(3);
    ByteBuffer a = e.webSocketFrame(true);
    ByteBuffer b = e.webSocketFrame(true);
    assertEquals(0x81, a.get(0) & 0xFF, "FIN + text");
    a.position(a.limit()); // consuming one view leaves the other whole
    assertEquals(2 + e.json().length, b.remaining());
    b.position(2);
    assertEquals(
        new String(e.json(), StandardCharsets.UTF_8), new String(bytes(b), StandardCharsets.UTF_8));
  }

  @Test
  void headerAndPayloadAreTheFrameForCallersThatLayItOutThemselves() {
    for (int chars : new int[] {10, 300, 70_000}) {
      EncodedEvent e = event(chars);
      for (boolean text : new boolean[] {false, true}) {
        byte[] header = e.webSocketHeader(text);
        byte[] payload = e.webSocketPayload(text);
        ByteBuffer joined = ByteBuffer.allocate(header.length + payload.length);
        joined.put(header).put(payload).flip();
        assertEquals(e.webSocketFrame(text), joined, chars + " chars, text " + text);
      }
    }
  }

  @Test
  void headerIntoAScratchArrayIsTheSameHeadForEveryLengthForm() {
    for (int chars : new int[] {10, 300, 70_000}) {
      EncodedEvent e = event(chars);
      for (boolean text : new boolean[] {false, true}) {
        byte[] scratch = new byte[10];
        java.util.Arrays.fill(scratch, (byte) 0x55);
        int n = e.webSocketHeader(text, scratch);
        ByteBuffer frame = e.webSocketFrame(text);
        byte[] head = new byte[n];
        frame.get(head);
        assertArrayEquals(head, java.util.Arrays.copyOf(scratch, n), chars + " chars");
        assertEquals(bytes(frame).length, e.webSocketPayload(text).length, "payload follows");
      }
    }
  }
}
