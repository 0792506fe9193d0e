package io.tonearm.daemon.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.testing.SamplesDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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
  void theSenderThreadStartsWithTheFirstListener() {
    HttpStreamOutput quiet = new HttpStreamOutput("quiet-sender", 8192, 0, false);
    try {
      quiet.open(8000, 1);
      quiet.write(new float[160], 0, 160);
      assertFalse(threadNamed("tonearm-stream-quiet-sender"), "nobody listens: no thread");
      quiet.attach(new Collector(), 16);
      assertTrue(threadNamed("tonearm-stream-quiet-sender"));
      quiet.attach(new Collector(), 24); // the same thread, started once
    } finally {
      quiet.shutdown();
    }
  }

  private static boolean threadNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name));
  }

  @Test
  void aStreamMakesTheBuffersOfAWordLengthOnlyWhenItsFirstListenerIsFed() throws Exception {
    stream.open(8000, 1);
    float[] block = new float[160];
    for (int i = 0; i < block.length; i++) {
      block[i] = (float) Math.sin(i * 0.01) * 0.5f;
    }
    stream.write(block, 0, block.length);
    assertEquals(0, stream.conversionBytes(), "nobody listens: no buffer is made");

    Collector wav24 = new Collector();
    stream.attach(wav24, 24);
    stream.write(block, 0, block.length);
    waitFor(() -> wav24.received().length == 44 + 160 * 3);
    assertEquals(4096 * 8 * 3, stream.conversionBytes(), "the 24-bit buffer only");
    ByteBuffer got = ByteBuffer.wrap(wav24.received()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < block.length; i++) {
      int word =
          (got.get(44 + 3 * i) & 0xFF)
              | (got.get(45 + 3 * i) & 0xFF) << 8
              | got.get(46 + 3 * i) << 16; // sign from the top byte
      assertEquals((int) Math.rint(block[i] * 8388608.0), word, "sample " + i);
    }

    Collector wav16 = new Collector();
    stream.attach(wav16, 16);
    stream.write(block, 0, block.length);
    waitFor(() -> wav16.received().length == 44 + 160 * 2);
    assertEquals(4096 * 8 * 5, stream.conversionBytes(), "then the 16-bit one too");
    got = ByteBuffer.wrap(wav16.received()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < block.length; i++) {
      assertEquals((int) Math.rint(block[i] * 32768.0), got.getShort(44 + 2 * i), "sample " + i);
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
      double delay =
          new io.tonearm.daemon.resample.Resampler(48_000, 44_100, 1, 1).delayInputFrames();
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

  /** A second of stereo music-like float samples: two tones and a little noise, at 44.1 kHz. */
  private static float[] music(int frames, long seed) {
    java.util.Random r = new java.util.Random(seed);
    float[] s = new float[frames * 2];
    for (int i = 0; i < frames; i++) {
      double t = i / 44_100.0;
      s[2 * i] = (float) (0.4 * Math.sin(2 * Math.PI * 440 * t) + 0.01 * r.nextGaussian());
      s[2 * i + 1] = (float) (0.3 * Math.sin(2 * Math.PI * 660 * t) + 0.01 * r.nextGaussian());
    }
    return s;
  }

  @Test
  void everyListenerOfAFormatGetsTheSameBytesEncodedOnceAndFlacEqualsTheWavWords()
      throws Exception {
    HttpStreamOutput s = new HttpStreamOutput("enc", 1 << 20, 0, true);
    try {
      java.util.List<StreamFormat> formats = StreamFormat.availableFormats();
      java.util.Map<StreamFormat, Collector[]> by = new java.util.EnumMap<>(StreamFormat.class);
      for (StreamFormat f : formats) {
        Collector[] cs = {new Collector(), new Collector(), new Collector()};
        for (Collector c : cs) {
          s.attach(c, f);
        }
        by.put(f, cs);
      }
      s.open(44_100, 2);
      float[] pcm = music(44_100 * 2, 3);
      for (int at = 0; at < pcm.length; at += 2 * 1000) {
        int n = Math.min(1000, pcm.length / 2 - at / 2);
        for (int i = at; i < at + 2 * n; i++) {
          pcm[i] *= 0.7f; // a gain: the 16-bit words are dithered
        }
        s.write(pcm, at, n);
      }
      Collector wav16 = by.get(StreamFormat.WAV16)[0];
      waitFor(() -> wav16.received().length == 44 + 44_100 * 2 * 4);
      for (StreamFormat f : formats) {
        Collector[] cs = by.get(f);
        waitFor(
            () ->
                cs[2].received().length > 0 && cs[2].received().length == cs[0].received().length);
        for (Collector c : cs) {
          assertTrue(
              java.util.Arrays.equals(cs[0].received(), c.received()),
              f + ": every listener gets the same bytes");
        }
      }
      // FLAC carries exactly the (dithered) words the WAV listeners got.
      byte[] flac = by.get(StreamFormat.FLAC)[0].received();
      assertEquals('f', flac[0]);
      java.nio.file.Path tmp = java.nio.file.Files.createTempFile("stream", ".flac");
      try {
        java.nio.file.Files.write(tmp, flac);
        byte[] wav = wav16.received();
        try (io.tonearm.daemon.decode.Decoder d = io.tonearm.daemon.decode.Decoders.open(tmp)) {
          float[] buf = new float[8192];
          int frame = 0;
          int n;
          while ((n = d.read(buf, 0, 4096)) > 0) {
            for (int i = 0; i < n * 2; i++) {
              int w =
                  (short)
                      ((wav[44 + (frame * 2 + i) * 2] & 0xFF) | wav[45 + (frame * 2 + i) * 2] << 8);
              assertEquals(w, Math.round(buf[i] * 32768), "word " + (frame * 2 + i));
            }
            frame += n;
          }
          // Whole 4096-frame blocks only: the last partial block waits for more audio.
          assertEquals(88_200 / 4096 * 4096, frame);
        }
      } finally {
        java.nio.file.Files.delete(tmp);
      }
    } finally {
      s.shutdown();
    }
  }

  @Test
  void aListenerThatJoinsLaterStartsWithItsHeaderThenAWholeFrame() throws Exception {
    HttpStreamOutput s = new HttpStreamOutput("late", 1 << 20, 0, false);
    try {
      Collector first = new Collector();
      s.attach(first, StreamFormat.FLAC);
      s.open(44_100, 2);
      float[] pcm = music(44_100, 4);
      s.write(pcm, 0, 22_050);
      Collector late = new Collector();
      s.attach(late, StreamFormat.FLAC);
      s.write(pcm, 44_100, 22_050);
      waitFor(() -> late.received().length > 42);
      byte[] b = late.received();
      assertEquals('f', b[0]);
      assertEquals(0xFF, b[42] & 0xFF, "a frame's sync code right after STREAMINFO");
      assertEquals(0xF8, b[43] & 0xFF);
      // Frames 0-4 (20,480 frames) went to the first listener only; the late one starts at 5.
      assertEquals(5, b[42 + 4], "the frame number (UTF-8 coded, one byte below 128)");
      if (StreamFormat.OPUS.available()) {
        Collector opus = new Collector();
        s.attach(opus, StreamFormat.OPUS);
        s.write(pcm, 0, 22_050);
        waitFor(() -> opus.received().length > 200);
        byte[] o = opus.received();
        assertEquals("OggS", new String(o, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(2, o[5], "the first page is the beginning of the stream");
        assertEquals("OpusHead", new String(o, 28, 8, java.nio.charset.StandardCharsets.US_ASCII));
      }
    } finally {
      s.shutdown();
    }
  }

  @Test
  void aSlowEncodedListenerIsDroppedAtItsBoundWithoutSlowingTheOthers() throws Exception {
    Assumptions.assumeTrue(StreamFormat.MP3.available(), "libmp3lame is not installed");
    HttpStreamOutput s = new HttpStreamOutput("slow", 1 << 20, 0, false);
    try {
      Collector fast = new Collector();
      CompletableFuture<String> slowClosed = new CompletableFuture<>();
      s.attach(fast, StreamFormat.MP3);
      s.attach(
          new StreamListener() {
            @Override
            public boolean onChunk(byte[] chunk) {
              return false;
            }

            @Override
            public void onClose(String reason) {
              slowClosed.complete(reason);
            }
          },
          StreamFormat.MP3);
      s.open(44_100, 2);
      float[] pcm = music(44_100, 5);
      // 192 kbit/s: 64 KiB is 2.7 s; write 5 s.
      for (int sec = 0; sec < 5; sec++) {
        s.write(pcm, 0, 44_100);
      }
      assertEquals("too slow", slowClosed.get(10, TimeUnit.SECONDS));
      waitFor(() -> fast.received().length > 4 * 192_000 / 8);
      assertTrue(fast.closed.getNow("open").equals("open"));
    } finally {
      s.shutdown();
    }
  }
}
