package io.tonearm.daemon.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.testing.SamplesDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpStreamOutputTest {

  HttpStreamOutput stream = new HttpStreamOutput("stream", 8192, 0, false);

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
      int want = (int) Math.rint((float) Math.sin(i * 0.01) * 0.5f * 32768.0);
      assertEquals(want, got.getShort(44 + 2 * i), "sample " + i);
    }
  }

  @Test
  void sixteenAndTwentyFourBitClientsGetTheSourceWordsBitForBitAtUnity() throws Exception {
    HttpStreamOutput dithering = new HttpStreamOutput("exact", 1 << 20, 0, true);
    try {
      Collector c16 = new Collector();
      Collector c24 = new Collector();
      dithering.attach(c16);
      dithering.attach(c24, 24);
      dithering.open(48_000, 2);
      // Every 16-bit word (-32768 included), then 24-bit words below the 16-bit LSB.
      float[] block = new float[65536 + 512];
      for (int k = -32768; k < 32768; k++) {
        block[k + 32768] = k / 32768f;
      }
      for (int i = 0; i < 512; i++) {
        block[65536 + i] = (i - 256) / 8388608f;
      }
      dithering.write(block, 0, block.length / 2);
      waitFor(() -> c16.received().length == 44 + 65536 * 2 + 512 * 2);
      waitFor(() -> c24.received().length == 44 + (65536 + 512) * 3);
      ByteBuffer g16 = ByteBuffer.wrap(c16.received()).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer g24 = ByteBuffer.wrap(c24.received()).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(16, g16.getShort(34));
      assertEquals(24, g24.getShort(34));
      assertEquals(6 * 48_000, g24.getInt(28), "byte rate of 24-bit stereo");
      for (int k = -32768; k < 32768; k++) {
        assertEquals(k, g16.getShort(44 + 2 * (k + 32768)), "16-bit word " + k);
        int at = 44 + 3 * (k + 32768);
        int v = (g24.get(at) & 0xFF) | (g24.get(at + 1) & 0xFF) << 8 | g24.get(at + 2) << 16;
        assertEquals(k * 256, v, "24-bit word " + k * 256);
      }
      for (int i = 0; i < 512; i++) {
        int at = 44 + 3 * (65536 + i);
        int v = (g24.get(at) & 0xFF) | (g24.get(at + 1) & 0xFF) << 8 | g24.get(at + 2) << 16;
        assertEquals(i - 256, v, "detail below the 16-bit LSB is kept");
      }
    } finally {
      dithering.shutdown();
    }
  }

  @Test
  void aFixedRateStreamKeepsItsListenersThroughItemsOfAnotherRate() throws Exception {
    HttpStreamOutput fixed = new HttpStreamOutput("fixed", 1 << 20, 44_100, false);
    assertEquals(44_100, fixed.rateFor(48_000, 2));
    assertEquals(44_100, fixed.rateFor(8000, 1));
    Collector c = new Collector();
    fixed.attach(c);
    float[] a = new float[44_100];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / 44_100));
    }
    ManualOutput clock = new ManualOutput("m").autoPlay(true);
    java.util.concurrent.LinkedBlockingQueue<String> ends =
        new java.util.concurrent.LinkedBlockingQueue<>();
    io.tonearm.daemon.audio.EngineListener listener =
        new io.tonearm.daemon.audio.EngineListener() {
          @Override
          public void decoderAdvanced(
              io.tonearm.daemon.audio.Play from, io.tonearm.daemon.audio.Play to) {
            ends.add("advanced");
          }

          @Override
          public void playFailed(io.tonearm.daemon.audio.Play play, String reason) {}

          @Override
          public void playStarted(io.tonearm.daemon.audio.Play play, long f, long at) {}

          @Override
          public void endOfStream(long generation) {
            ends.add("end");
          }

          @Override
          public void outputFailed(String outputId, String reason) {
            ends.add("failed " + outputId);
          }
        };
    try (io.tonearm.daemon.audio.AudioEngine engine =
        new io.tonearm.daemon.audio.AudioEngine(io.tonearm.daemon.dsp.PcmTap.NONE, listener, 1f)) {
      engine.start();
      engine.setOutputs(java.util.List.of(clock, fixed)).get();
      engine.load(
          new io.tonearm.daemon.audio.Play(1, "a", 1f), new SamplesDecoder(a, 44_100, 1), 0);
      engine.setNext(
          1,
          new io.tonearm.daemon.audio.Play(2, "b", 1f),
          new SamplesDecoder(new float[7000], 48_000, 1));
      assertEquals("advanced", ends.poll(10, TimeUnit.SECONDS));
      engine.setNext(2, null, null);
      assertEquals("end", ends.poll(10, TimeUnit.SECONDS));
      // b's 7000 frames at 48 kHz are 6431.25 at 44.1 kHz: all of them once flushed, the filter's
      // ramp-in of 70 * 147 / 160 frames dropped.
      double delay = new io.tonearm.daemon.dsp.Resampler(48_000, 44_100, 1, 1).delayInputFrames();
      int bFrames =
          (int) Math.ceil((7000 + delay) * 44_100 / 48_000) - (int) Math.round(delay * 147 / 160);
      assertEquals(6432, bFrames);
      int expected = 44 + 2 * (44_100 + bFrames);
      waitFor(() -> c.received().length == expected);
    } finally {
      fixed.shutdown();
    }
    assertEquals(2, clock.opens(), "the clock followed the items: 44.1 then 48 kHz");
    assertEquals("output closed", c.closed.get(10, TimeUnit.SECONDS), "one response throughout");
    ByteBuffer got = ByteBuffer.wrap(c.received()).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(44_100, got.getInt(24));
    assertEquals(1, got.getShort(22));
    for (int i = 0; i < a.length; i++) {
      assertEquals(
          (int) Math.rint(a[i] * 32768.0), got.getShort(44 + 2 * i), "a passes as is: " + i);
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
