package io.tonearm.daemon.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OggOpusEncoderTest {

  @TempDir Path dir;

  @BeforeEach
  void needsLibopus() {
    if (System.getenv("TONEARM_REQUIRE_LIBOPUS") != null) {
      assertTrue(OggOpusEncoder.available(), "libopus should load (TONEARM_REQUIRE_LIBOPUS)");
    }
    Assumptions.assumeTrue(OggOpusEncoder.available(), "libopus is not installed");
  }

  /** Header, then every page, from a source fed in uneven pieces. */
  private static byte[] encode(OggOpusEncoder e, float[] src, int channels) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(e.header());
    ByteSink sink = new ByteSink(16);
    int frames = src.length / channels;
    int[] pieces = {441, 1, 4096, 1000};
    for (int at = 0, i = 0; at < frames; i++) {
      int n = Math.min(pieces[i % pieces.length], frames - at);
      sink.clear();
      e.encode(src, at * channels, n, sink);
      if (sink.size() > 0) {
        assertEquals('O', sink.array()[0], "each call emits whole pages");
      }
      out.write(sink.array(), 0, sink.size());
      at += n;
    }
    return out.toByteArray();
  }

  @Test
  void stereoAt44k1DecodesToTheSameTonesAlignedByThePreSkip() throws Exception {
    float[] src = Tones.stereo(44_100, 44_100 * 2);
    byte[] ogg;
    try (OggOpusEncoder e = new OggOpusEncoder(44_100, 2)) {
      // libopus's look-ahead (312 at 48 kHz) plus the resampler's 64 input frames.
      assertEquals(312 + 70, e.preSkip());
      assertTrue(e.delayMicros() > 60_000 && e.delayMicros() < 70_000, "" + e.delayMicros());
      ogg = encode(e, src, 2);
    }
    Path f = dir.resolve("s.opus");
    Files.write(f, ogg);
    float[] pcm = Tones.decodeAll(f); // our Ogg demuxer, libopus decoding
    // Pages are whole: up to 60 ms of the source's end stays in the encoder (no end of stream).
    assertTrue(pcm.length / 2 > 48_000 * 2 - 48 * 80, "" + pcm.length / 2);
    double[] left = Tones.fit(pcm, 2, 0, 4800, 86_400, 440, 48_000);
    double[] right = Tones.fit(pcm, 2, 1, 4800, 86_400, 1000, 48_000);
    // Measured: -46.5 and -48.9 dB residual, levels 0.4997 and 0.2494, phase 0.026 rad.
    assertTrue(left[2] < -30, "left residual " + left[2] + " dB");
    assertTrue(right[2] < -30, "right residual " + right[2] + " dB");
    assertEquals(0.5, left[0], 0.5 * 0.06, "left level within 0.5 dB");
    assertEquals(0.25, right[0], 0.25 * 0.06, "right level within 0.5 dB");
    // The pre-skip aligns output frame 0 with source frame 0: the tone's phase is 0 there, within
    // one 48 kHz sample (0.058 rad at 440 Hz).
    assertEquals(0, left[1], 0.06, "left phase");
  }

  @Test
  void aListenerJoiningMidStreamGetsTheHeaderAndDecodablePages() throws Exception {
    Path ffmpeg = Path.of("/usr/bin/ffmpeg");
    Assumptions.assumeTrue(Files.isExecutable(ffmpeg), "ffmpeg is not installed");
    float[] src = Tones.stereo(48_000, 48_000 * 2);
    ByteArrayOutputStream late = new ByteArrayOutputStream();
    try (OggOpusEncoder e = new OggOpusEncoder(48_000, 2)) {
      late.writeBytes(e.header());
      ByteSink sink = new ByteSink(16);
      e.encode(src, 0, 48_000, sink); // the first second goes to earlier listeners
      sink.clear();
      e.encode(src, 48_000 * 2, 48_000, sink);
      late.write(sink.array(), 0, sink.size());
    }
    Path f = dir.resolve("late.opus");
    Files.write(f, late.toByteArray());
    Path raw = dir.resolve("late.f32");
    Process p =
        new ProcessBuilder(
                ffmpeg.toString(),
                "-v",
                "error",
                "-i",
                f.toString(),
                "-f",
                "f32le",
                "-ac",
                "2",
                raw.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), log);
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
    float[] pcm = new float[b.remaining() / 4];
    b.asFloatBuffer().get(pcm);
    assertTrue(pcm.length / 2 > 40_000, "ffmpeg decoded " + pcm.length / 2 + " frames");
    double[] left = Tones.fit(pcm, 2, 0, 4800, pcm.length / 2 - 100, 440, 48_000);
    assertTrue(left[2] < -30, "left residual " + left[2] + " dB");
  }
}
