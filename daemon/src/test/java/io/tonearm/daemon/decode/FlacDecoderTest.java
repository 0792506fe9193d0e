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

  /**
   * Tones with noise, left/side and right/side coded, with linear prediction of orders 6 and 8
   * (flac -5), 9 and 12 (flac -8) and up to 32 (--lax -l 32): the unrolled and the general
   * prediction loops and Rice codes of many lengths, each decoded exactly.
   */
  @Test
  void linearPredictionOfEveryOrderDecodesToTheStreamInfoMd5() throws Exception {
    for (String order : new String[] {"8", "12", "32"}) {
      Path file = fixture("0.35s_tones_noise_44k1_stereo_lpc" + order + ".flac");
      float[] pcm;
      try (Decoder d = Decoders.open(file)) {
        assertEquals(new AudioFormat(44100, 2, 15435, "flac", 16), d.format());
        pcm = Signals.decodeAll(d);
      }
      assertEquals(2 * 15435, pcm.length);
      assertStreamInfoMd5(file, pcm, 16);
    }
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
    assertStreamInfoMd5(file, pcm, bits);
    double freq = name.contains("1kHz") ? 1000 : 440;
    assertEquals(freq, Signals.frequency(pcm, channels, 0, rate, 0, rate), 0.05);
    assertEquals(0.5 / Math.sqrt(2), Signals.rms(pcm, channels, 1, 0, rate), 1e-4);
  }

  /** The MD5 of the samples as little-endian signed integers (RFC 9639 section 8.2) matches. */
  private static void assertStreamInfoMd5(Path file, float[] pcm, int bits)
      throws IOException, NoSuchAlgorithmException {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    int bytes = bits / 8;
    for (float f : pcm) {
      int v = Math.round(f * (1 << (bits - 1)));
      for (int b = 0; b < bytes; b++) {
        md5.update((byte) (v >> (8 * b)));
      }
    }
    byte[] header = Files.readAllBytes(file);
    assertArrayEquals(Arrays.copyOfRange(header, 26, 42), md5.digest(), file.toString());
  }

  /** A copy of the stereo fixture with 16 bytes in the middle of the file overwritten. */
  static Path damaged(Path dir) throws IOException {
    byte[] b = Files.readAllBytes(fixture("1s_440Hz_44k1_stereo_16bit.flac"));
    for (int i = 0; i < 16; i++) {
      b[b.length / 2 + i] ^= (byte) 0x5A;
    }
    return Files.write(dir.resolve("damaged.flac"), b);
  }

  @Test
  void aDamagedFrameIsSkippedAsSilenceReportedOnceAndDecodingGoesOn() throws Exception {
    float[] whole;
    try (Decoder d = Decoders.open(fixture("1s_440Hz_44k1_stereo_16bit.flac"))) {
      whole = Signals.decodeAll(d);
    }
    java.util.List<String> problems = new java.util.ArrayList<>();
    float[] got = new float[whole.length];
    int at = 0;
    try (Decoder d = Decoders.open(damaged(tmp))) {
      for (int n; (n = d.read(got, at, Math.min(1000, (got.length - at) / 2))) > 0; ) {
        at += n * 2;
        String p = d.takeProblem();
        if (p != null) {
          problems.add(p);
        }
        if (at == got.length) {
          assertEquals(-1, d.read(new float[2], 0, 1));
          break;
        }
      }
    }
    assertEquals(whole.length, at, "the length stays: the skipped span is silence");
    assertEquals(1, problems.size(), problems.toString());
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("samples (\\d+)\\.\\.(\\d+)").matcher(problems.get(0));
    assertTrue(m.find(), problems.get(0));
    int from = Integer.parseInt(m.group(1));
    int to = Integer.parseInt(m.group(2));
    assertTrue(from > 0 && to > from && to - from <= 2 * 4608, from + ".." + to);
    for (int i = 0; i < whole.length; i++) {
      int frame = i / 2;
      assertEquals(frame >= from && frame < to ? 0f : whole[i], got[i], "sample " + i);
    }
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
}
