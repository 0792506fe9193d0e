package io.tonearm.daemon.decode;

import static io.tonearm.daemon.decode.Signals.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlacDecoderTest {

  @TempDir Path tmp;

  @Test
  void sixteenBitDecodeMatchesTheStreamInfoMd5() throws Exception {
    assertMd5Matches("1s_440Hz_44k1_stereo_16bit.flac", 44100, 2, 16);
  }

  @Test
  void twentyFourBitDecodeMatchesTheStreamInfoMd5() throws Exception {
    assertMd5Matches("1s_1kHz_96k_stereo_24bit.flac", 96000, 2, 24);
  }

  private static void assertMd5Matches(String name, int rate, int channels, int bits)
      throws IOException, NoSuchAlgorithmException {
    Path file = fixture(name);
    float[] pcm;
    try (Decoder d = Decoders.open(file)) {
      assertEquals(new AudioFormat(rate, channels, rate, "flac", bits), d.format());
      pcm = Signals.decodeAll(d);
    }
    assertEquals(rate * channels, pcm.length);
    // MD5 of the samples as little-endian signed integers (RFC 9639 section 8.2).
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    int bytes = bits / 8;
    for (float f : pcm) {
      int v = Math.round(f * (1 << (bits - 1)));
      for (int b = 0; b < bytes; b++) {
        md5.update((byte) (v >> (8 * b)));
      }
    }
    byte[] header = Files.readAllBytes(file);
    assertArrayEquals(Arrays.copyOfRange(header, 26, 42), md5.digest());
    double freq = name.contains("1kHz") ? 1000 : 440;
    assertEquals(freq, Signals.frequency(pcm, channels, 0, rate, 0, rate), 0.05);
    assertEquals(0.5 / Math.sqrt(2), Signals.rms(pcm, channels, 1, 0, rate), 1e-4);
  }

  @Test
  void seekLandsOnRequestedFrameWithSeekTable() throws IOException {
    for (long frame : new long[] {0, 1, 4095, 4096, 22050, 66151, 100000, 132299, 132300}) {
      Signals.assertSeekMatches(fixture("3s_440Hz_44k1_mono_seektable.flac"), frame, 0f);
    }
  }

  @Test
  void seekLandsOnRequestedFrameByBisectionWithoutSeekTable() throws IOException {
    for (long frame : new long[] {3, 30001, 65999, 95999}) {
      Signals.assertSeekMatches(fixture("1s_1kHz_96k_stereo_24bit.flac"), frame, 0f);
    }
  }

  @Test
  void seekPastTheEndIsAnIoException() throws IOException {
    try (Decoder d = Decoders.open(fixture("3s_440Hz_44k1_mono_seektable.flac"))) {
      assertThrows(IOException.class, () -> d.seek(132301));
    }
  }

  @Test
  void gaplessPairEqualsTheWavPair() throws IOException {
    Signals.assertGapless("flac", 40001, 26149, 44100, -80);
    assertArrayEquals(
        Signals.decodeAll(fixture("gapless_440Hz_a.wav")),
        Signals.decodeAll(fixture("gapless_440Hz_a.flac")),
        0f);
  }

  @Test
  void corruptFrameGivesTheAudioBeforeItThenAnIoException() throws IOException {
    byte[] bytes = Files.readAllBytes(fixture("3s_440Hz_44k1_mono_seektable.flac"));
    bytes[bytes.length / 2] ^= 0x5A;
    Path bad = tmp.resolve("bad.flac");
    Files.write(bad, bytes);
    float[] good = Signals.decodeAll(fixture("3s_440Hz_44k1_mono_seektable.flac"));
    try (Decoder d = Decoders.open(bad)) {
      float[] block = new float[4096];
      int total = 0;
      IOException error = null;
      try {
        int n;
        while ((n = d.read(block, 0, 4096)) > 0) {
          assertArrayEquals(
              Arrays.copyOfRange(good, total, total + n), Arrays.copyOf(block, n), 0f);
          total += n;
        }
      } catch (IOException e) {
        error = e;
      }
      assertTrue(error != null && error.getMessage().contains("FLAC"), "error: " + error);
      assertTrue(total > 0 && total < 132300, "decoded " + total + " frames before the damage");
    }
  }
}
