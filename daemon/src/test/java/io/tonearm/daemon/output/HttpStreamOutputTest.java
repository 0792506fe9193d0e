package io.tonearm.daemon.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpStreamOutputTest {

  HttpStreamOutput stream = new HttpStreamOutput("stream", 8192);

  /** Takes everything. */
  static final class Collector implements StreamListener {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CompletableFuture<String> closed = new CompletableFuture<>();

    @Override
    public synchronized boolean onChunk(byte[] chunk) {
      bytes.write(chunk, 0, chunk.length);
      return true;
    }

    @Override
    public void onClose(String reason) {
      closed.complete(reason);
    }

    synchronized byte[] received() {
      return bytes.toByteArray();
    }
  }

  @AfterEach
  void tearDown() {
    stream.shutdown();
  }

  private static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!c.getAsBoolean()) {
      assertTrue(System.currentTimeMillis() < deadline, "condition not reached");
      Thread.sleep(1);
    }
  }

  @Test
  void aClientGetsAHeaderThenTheExactPcmAndASlowOneIsDroppedWithoutBlocking() throws Exception {
    Collector fast = new Collector();
    CompletableFuture<String> slowClosed = new CompletableFuture<>();
    stream.attach(fast);
    stream.attach(
        new StreamListener() {
          @Override
          public boolean onChunk(byte[] chunk) {
            return false; // never writable
          }

          @Override
          public void onClose(String reason) {
            slowClosed.complete(reason);
          }
        });
    stream.open(8000, 1);
    float[] block = new float[160];
    int total = 0;
    for (int b = 0; b < 50; b++) {
      for (int i = 0; i < block.length; i++) {
        block[i] = (float) Math.sin((b * 160 + i) * 0.01) * 0.5f;
      }
      stream.write(block, 0, block.length);
      total += block.length;
      int expected = 44 + total * 2;
      waitFor(() -> fast.received().length == expected);
    }
    assertEquals("too slow", slowClosed.get(10, TimeUnit.SECONDS));
    assertEquals(1, stream.clientCount());

    ByteBuffer got = ByteBuffer.wrap(fast.received()).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0x46464952, got.getInt(0)); // RIFF
    assertEquals(1, got.getShort(20)); // PCM
    assertEquals(8000, got.getInt(24));
    assertEquals(16, got.getShort(34));
    for (int i = 0; i < total; i++) {
      int want = Math.round((float) Math.sin(i * 0.01) * 0.5f * 32767f);
      assertEquals(want, got.getShort(44 + 2 * i), "sample " + i);
    }
  }

  @Test
  void aFormatChangeClosesClientsSoTheyReconnect() throws Exception {
    Collector c = new Collector();
    stream.attach(c);
    stream.open(44_100, 2);
    stream.write(new float[200], 0, 100);
    stream.open(48_000, 2);
    assertEquals("format changed", c.closed.get(10, TimeUnit.SECONDS));
  }
}
