package io.tonearm.daemon.decode;

import static io.tonearm.daemon.decode.Signals.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class OpusDecoderTest {

  @Test
  void preSkipAndEndTrimGiveTheExactLength() throws IOException {
    try (OpusDecoder d = OpusDecoder.open(fixture("1s_1kHz_48k_stereo.opus"))) {
      assertEquals(new AudioFormat(48000, 2, 48000, "opus", 0), d.format());
      assertEquals(0.0, d.outputGainDb());
      float[] pcm = Signals.decodeAll(d);
      assertEquals(48000 * 2, pcm.length);
      assertEquals(1000.0, Signals.frequency(pcm, 2, 0, 48000, 2000, 46000), 0.1);
      double db = 20 * Math.log10(Signals.rms(pcm, 2, 1, 2000, 46000) / (0.5 / Math.sqrt(2)));
      assertEquals(0, db, 0.5);
      // Pre-skip dropped exactly: output frame 0 is the sine's phase 0.
      assertTrue(Signals.residualDb(pcm, 2, 0, 0, 4800, 1000, 48000) < -30);
    }
  }

  @Test
  void seekLandsOnRequestedFrame() throws IOException {
    for (long frame : new long[] {0, 1, 959, 3840, 25000, 47999, 48000}) {
      Signals.assertSeekMatches(fixture("1s_1kHz_48k_stereo.opus"), frame, 1e-6f);
    }
  }

  @Test
  void seekPastTheEndIsAnIoException() throws IOException {
    try (Decoder d = Decoders.open(fixture("1s_1kHz_48k_stereo.opus"))) {
      assertThrows(IOException.class, () -> d.seek(48001));
    }
  }

  @Test
  void gaplessPairJoinsWithoutGap() throws IOException {
    Signals.assertGapless("opus", 40001, 31999, 48000, -30);
  }

  @Test
  void surroundComesOutInWavChannelOrder() throws IOException {
    // Encoded from a WAV whose channels FL FR FC LFE BL BR hold 200 300 400 100 500 600 Hz.
    try (Decoder d = Decoders.open(fixture("0.5s_5.1_200-300-400-100-500-600Hz_48k.opus"))) {
      assertEquals(new AudioFormat(48000, 6, 24000, "opus", 0), d.format());
      float[] pcm = Signals.decodeAll(d);
      assertEquals(24000 * 6, pcm.length);
      double[] freqs = {200, 300, 400, 100, 500, 600};
      for (int c = 0; c < 6; c++) {
        double db = Signals.residualDb(pcm, 6, c, 2400, 19200, freqs[c], 48000);
        assertTrue(db < -20, "channel " + c + " should hold " + freqs[c] + " Hz: " + db + " dB");
      }
    }
  }

  @Test
  void seekAcrossManyPagesLandsOnRequestedFrame() throws IOException {
    try (Decoder d = Decoders.open(fixture("5s_440Hz_plus_pink_noise_48k_mono_small_pages.opus"))) {
      assertEquals(48000 * 5, d.format().frames());
    }
    for (long frame : new long[] {4800, 77777, 123456, 239500}) {
      // At 24 kbit/s Opus runs SILK, whose state after 80 ms of pre-roll is close to, not equal to,
      // a decode from the start: allow -48 dBFS. Landing one frame off would differ by 0.03.
      Signals.assertSeekMatches(
          fixture("5s_440Hz_plus_pink_noise_48k_mono_small_pages.opus"), frame, 4e-3f);
    }
  }
}
