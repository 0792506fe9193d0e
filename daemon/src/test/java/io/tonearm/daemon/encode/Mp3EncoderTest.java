package io.tonearm.daemon.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp3EncoderTest {

  @TempDir Path dir;

  @BeforeEach
  void needsLame() {
    if (System.getenv("TONEARM_REQUIRE_LAME") != null) {
      assertTrue(Mp3Encoder.available(), "libmp3lame should load (TONEARM_REQUIRE_LAME)");
    }
    Assumptions.assumeTrue(Mp3Encoder.available(), "libmp3lame is not installed");
  }

  @Test
  void everyCallEmitsWholeFramesThatDecodeToTheSameTones() throws Exception {
    float[] src = Tones.stereo(44_100, 44_100 * 3);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Mp3Encoder e = new Mp3Encoder(44_100, 2)) {
      assertEquals(44_100, e.outputRate());
      assertEquals(0, e.header().length);
      ByteSink sink = new ByteSink(16);
      int[] pieces = {441, 1, 4096, 1000};
      for (int at = 0, i = 0; at < src.length / 2; i++) {
        int n = Math.min(pieces[i % pieces.length], src.length / 2 - at);
        sink.clear();
        e.encode(src, at * 2, n, sink);
        // Whole frames only: each call's bytes are a run of frames, header to header.
        for (int p = 0; p < sink.size(); ) {
          int len = Mp3FrameLength.of(sink.array(), p);
          assertTrue(len > 0, "a frame header at byte " + p);
          assertEquals(192 * 144_000 / 44_100, len, 1, "192 kbit/s at 44.1 kHz");
          p += len;
          assertTrue(p <= sink.size());
        }
        out.write(sink.array(), 0, sink.size());
        at += n;
      }
    }
    Path f = dir.resolve("s.mp3");
    Files.write(f, out.toByteArray());
    float[] pcm = Tones.decodeAll(f); // JLayer
    assertTrue(pcm.length / 2 > 44_100 * 2, "" + pcm.length / 2);
    int to = pcm.length / 2 - 4410;
    double[] left = Tones.fit(pcm, 2, 0, 4410, to, 440, 44_100);
    double[] right = Tones.fit(pcm, 2, 1, 4410, to, 1000, 44_100);
    // Measured: -80.8 and -81.6 dB residual, levels 0.485 and 0.2425 (-0.26 dB).
    assertTrue(left[2] < -30, "left residual " + left[2] + " dB");
    assertTrue(right[2] < -30, "right residual " + right[2] + " dB");
    assertEquals(0.5, left[0], 0.5 * 0.06, "left level within 0.5 dB");
    assertEquals(0.25, right[0], 0.25 * 0.06, "right level within 0.5 dB");
  }

  @Test
  void moreThanTwoChannelsIsRefused() {
    try {
      new Mp3Encoder(44_100, 6).close();
      throw new AssertionError("6 channels should be refused");
    } catch (IllegalArgumentException expected) {
      assertTrue(expected.getMessage().contains("mono or stereo"));
    }
  }
}
