package io.tonearm.daemon.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavFileOutputTest {

  @TempDir Path dir;

  @Test
  void recordsBitExactFloatWavAndStartsANewFilePerFormat() throws Exception {
    WavFileOutput out = new WavFileOutput("rec", dir.resolve("rec.wav"));
    out.open(44_100, 2);
    float[] s = new float[2 * 10_000];
    for (int i = 0; i < s.length; i++) {
      s[i] = (float) Math.sin(i * 0.001) * 0.7f;
    }
    out.write(s, 0, 6000);
    out.write(s, 12_000, 4000);
    out.open(48_000, 1);
    out.write(s, 0, 10);
    out.close();

    try (Decoder d = Decoders.open(dir.resolve("rec.wav"))) {
      assertEquals(44_100, d.format().sampleRate());
      assertEquals(10_000, d.format().frames());
      float[] back = new float[s.length];
      int got = 0;
      for (int n; (n = d.read(back, got * 2, 10_000 - got)) > 0; ) {
        got += n;
      }
      assertArrayEquals(s, back);
    }
    try (Decoder d = Decoders.open(dir.resolve("rec-2.wav"))) {
      assertEquals(48_000, d.format().sampleRate());
      assertEquals(10, d.format().frames());
    }
  }
}
