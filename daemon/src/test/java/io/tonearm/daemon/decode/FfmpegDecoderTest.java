package io.tonearm.daemon.decode;

import static io.tonearm.daemon.decode.Signals.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Runs only where ffmpeg is installed (CI has none); the AAC fixture needs it to decode. */
class FfmpegDecoderTest {

  @Test
  void decodesAacInMp4ThroughFfmpeg() throws IOException {
    assumeTrue(Decoders.ffmpegAvailable(), "ffmpeg not installed");
    try (Decoder d = Decoders.open(fixture("1s_440Hz_44k1_stereo.m4a"))) {
      assertEquals("aac", d.format().codec());
      assertEquals(44100, d.format().sampleRate());
      assertEquals(44100, d.format().frames(), 1024);
      float[] pcm = Signals.decodeAll(d);
      assertEquals(44100, pcm.length / 2, 1024);
      assertEquals(440.0, Signals.frequency(pcm, 2, 0, 44100, 4000, 40000), 0.1);
      double db = 20 * Math.log10(Signals.rms(pcm, 2, 1, 4000, 40000) / (0.5 / Math.sqrt(2)));
      assertEquals(0, db, 1.0);
    }
  }

  @Test
  void seekRestartsNearTheTarget() throws IOException {
    assumeTrue(Decoders.ffmpegAvailable(), "ffmpeg not installed");
    float[] all = Signals.decodeAll(fixture("1s_440Hz_44k1_stereo.m4a"));
    try (Decoder d = Decoders.open(fixture("1s_440Hz_44k1_stereo.m4a"))) {
      d.seek(22050);
      float[] tail = Signals.decodeAll(d);
      assertEquals(all.length / 2 - 22050, tail.length / 2, 1024);
      double db = Signals.residualDb(tail, 2, 0, 0, 4096, 440, 44100);
      assertTrue(db < -30, "residual after seek " + db + " dB");
    }
  }

  @Test
  void capabilitiesNameFfmpegOnlyWhenPresent() {
    assertEquals(Decoders.ffmpegAvailable(), Decoders.capabilities().contains("decoder:ffmpeg"));
  }
}
