package io.tonearm.daemon.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tonearm.daemon.testing.SamplesDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StemSetDecoderTest {

  @TempDir Path dir;

  /** Stem {@code s}: a ramp of its own, distinct on each side, {@code frames} long. */
  static float[] ramp(int s, int channels, int frames) {
    float[] x = new float[frames * channels];
    for (int f = 0; f < frames; f++) {
      for (int c = 0; c < channels; c++) {
        x[f * channels + c] = s * 0.1f + c * 0.01f + f * 1e-6f;
      }
    }
    return x;
  }

  static float expected(int s, int channels, int frames, int f, int c) {
    if (f >= frames) {
      return 0f;
    }
    return s * 0.1f + (channels == 1 ? 0 : c) * 0.01f + f * 1e-6f;
  }

  static StemLayout layout(int n) {
    List<String> names = new ArrayList<>();
    List<Boolean> vocal = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add("s" + i);
      vocal.add(false);
    }
    return new StemLayout(names, vocal);
  }

  /** Reads everything through readStems in odd-sized reads. */
  static float[] readAllApart(Decoder d, int stems) throws IOException {
    float[] all = new float[0];
    float[] buf = new float[777 * stems * 2];
    int len = 0;
    for (int n; (n = d.readStems(buf, 0, 777)) >= 0; ) {
      all = java.util.Arrays.copyOf(all, len + n * stems * 2);
      System.arraycopy(buf, 0, all, len, n * stems * 2);
      len += n * stems * 2;
    }
    return all;
  }

  @Test
  void stemsAreReadInLockstepWhateverEachDecodersReadSize() throws IOException {
    int[] lengths = {5000, 5000, 3000};
    int[] channels = {2, 1, 2};
    int[] reads = {100, 333, 4096}; // each stem's decoder hands out blocks of its own size
    List<Decoder> stems = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      stems.add(
          new SamplesDecoder(ramp(s, channels[s], lengths[s]), 44_100, channels[s], reads[s]));
    }
    try (StemSetDecoder d = new StemSetDecoder(stems, layout(3))) {
      assertEquals(5000, d.format().frames(), "the longest stem's length");
      assertEquals(2, d.format().channels());
      float[] all = readAllApart(d, 3);
      assertEquals(5000 * 3 * 2, all.length);
      for (int f = 0; f < 5000; f++) {
        for (int s = 0; s < 3; s++) {
          for (int c = 0; c < 2; c++) {
            assertEquals(
                expected(s, channels[s], lengths[s], f, c),
                all[(f * 3 + s) * 2 + c],
                "frame " + f + " stem " + s + " channel " + c);
          }
        }
      }
    }
  }

  @Test
  void aSeekIsExactForEveryStemAndAStemPastItsEndIsSilent() throws IOException {
    List<Decoder> stems =
        List.of(
            new SamplesDecoder(ramp(0, 2, 5000), 48_000, 2, 100),
            new SamplesDecoder(ramp(1, 2, 3000), 48_000, 2, 250));
    try (StemSetDecoder d = new StemSetDecoder(stems, layout(2))) {
      d.readStems(new float[4000], 0, 1000);
      d.seek(3500);
      float[] all = readAllApart(d, 2);
      assertEquals(1500 * 2 * 2, all.length);
      assertEquals(expected(0, 2, 5000, 3500, 1), all[1]);
      assertEquals(0f, all[2]);
      d.seek(2999);
      float[] tail = readAllApart(d, 2);
      assertEquals(expected(1, 2, 3000, 2999, 0), tail[2]);
      assertEquals(0f, tail[4 + 2]);
    }
  }

  @Test
  void readGivesThePlainSum() throws IOException {
    List<Decoder> stems =
        List.of(
            new SamplesDecoder(ramp(1, 2, 100), 48_000, 2),
            new SamplesDecoder(ramp(2, 1, 100), 48_000, 1));
    try (StemSetDecoder d = new StemSetDecoder(stems, layout(2))) {
      float[] out = new float[200];
      assertEquals(100, d.read(out, 0, 100));
      assertEquals(expected(1, 2, 100, 7, 1) + expected(2, 1, 100, 7, 1), out[15], 1e-7);
      assertEquals(-1, d.read(out, 0, 100));
    }
  }

  @Test
  void aStemAtAnotherRateIsConvertedToTheFirstStemsRateAndSumsWithTheOthers() throws IOException {
    // Three stems at 44.1 kHz and a 1 kHz sine at 48 kHz: the set plays at 44.1 kHz, and its sum
    // is the four sines sampled at 44.1 kHz.
    double[] hz = {220, 330, 440, 1000};
    List<Decoder> stems = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      stems.add(
          new SamplesDecoder(ResampledDecoderTest.sine(hz[s], 44_100, 2, 44_100, 0.2), 44_100, 2));
    }
    stems.add(
        new SamplesDecoder(
            ResampledDecoderTest.sine(1000, 48_000, 1, 48_000, 0.2), 48_000, 1, 500));
    try (StemSetDecoder d = new StemSetDecoder(stems, layout(4))) {
      assertEquals(44_100, d.format().sampleRate());
      assertEquals(44_100, d.format().frames(), "lengths compared after conversion");
      float[] sum = ResampledDecoderTest.readAll(d, 1000);
      assertEquals(44_100 * 2, sum.length);
      double worst = 0;
      for (int f = 300; f < 44_100 - 300; f++) {
        double want = 0;
        for (double h : hz) {
          want += 0.2 * Math.sin(2 * Math.PI * h * f / 44_100);
        }
        worst = Math.max(worst, Math.abs(sum[2 * f] - want));
        worst = Math.max(worst, Math.abs(sum[2 * f + 1] - want));
      }
      assertTrue(worst < 1e-3, "largest error " + worst);
      d.seek(30_000);
      float[] tail = ResampledDecoderTest.readAll(d, 777);
      assertArrayEquals(java.util.Arrays.copyOfRange(sum, 60_000, sum.length), tail);
    }
  }

  @Test
  void aStemWhoseRateCannotBeConvertedExactlyIsRefusedNamingIt() {
    List<Decoder> stems =
        List.of(
            new SamplesDecoder(ramp(0, 2, 100), 44_100, 2),
            new SamplesDecoder(ramp(1, 2, 100), 44_101, 2));
    UnsupportedFormatException e =
        assertThrows(UnsupportedFormatException.class, () -> new StemSetDecoder(stems, layout(2)));
    assertTrue(e.getMessage().contains("stem s1"), e.getMessage());
    assertTrue(e.getMessage().contains("44101 Hz to 44100 Hz"), e.getMessage());
  }

  static Path wav(Path file, int rate, int channels, float[] samples) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(44 + samples.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x46464952).putInt(36 + samples.length * 4).putInt(0x45564157);
    b.putInt(0x20746d66).putInt(16).putShort((short) 3).putShort((short) channels);
    b.putInt(rate)
        .putInt(rate * 4 * channels)
        .putShort((short) (4 * channels))
        .putShort((short) 32);
    b.putInt(0x61746164).putInt(samples.length * 4);
    for (float f : samples) {
      b.putFloat(f);
    }
    Files.createDirectories(file.getParent());
    return Files.write(file, b.array());
  }

  @Test
  void aFolderIsOpenedByTheNamingRule() throws IOException {
    Path set = dir.resolve("Song.stems");
    wav(set.resolve("vocals.wav"), 48_000, 2, ramp(3, 2, 1000));
    wav(set.resolve("drums.wav"), 48_000, 2, ramp(1, 2, 1000));
    Files.writeString(set.resolve("cover.jpg"), "not a stem");
    try (Decoder d = Decoders.open(set)) {
      StemLayout l = d.stems();
      assertNotNull(l);
      assertEquals(List.of("drums", "vocals"), l.names());
      assertFalse(l.isVocal(0));
      assertTrue(l.isVocal(1));
      float[] all = readAllApart(d, 2);
      assertEquals(expected(3, 2, 1000, 10, 1), all[(10 * 2 + 1) * 2 + 1]);
    }
  }

  @Test
  void aManifestNamesTheStemsAndTheirRoles() throws IOException {
    Path set = dir.resolve("Song.stems");
    wav(set.resolve("a.wav"), 48_000, 1, ramp(1, 1, 500));
    wav(set.resolve("sub/b.wav"), 48_000, 2, ramp(2, 2, 500));
    Files.writeString(
        set.resolve(StemSet.MANIFEST), "# two stems\nlead = a.wav\nbacking = sub/b.wav ; vocal\n");
    try (Decoder d = Decoders.open(set)) {
      assertEquals(List.of("lead", "backing"), d.stems().names());
      assertEquals(List.of(false, true), d.stems().vocal());
    }
  }

  @Test
  void aBadManifestIsRefusedNamingTheLine() throws IOException {
    Path set = dir.resolve("Song.stems");
    wav(set.resolve("a.wav"), 48_000, 1, ramp(1, 1, 500));
    Files.writeString(set.resolve(StemSet.MANIFEST), "lead = a.wav\ndrums = drums.flac\n");
    IOException missing = assertThrows(IOException.class, () -> Decoders.open(set));
    assertTrue(missing.getMessage().contains("line 2: stem drums: file drums.flac not found"));
    Files.writeString(set.resolve(StemSet.MANIFEST), "lead = ../../etc/passwd\n");
    IOException outside = assertThrows(IOException.class, () -> Decoders.open(set));
    assertTrue(outside.getMessage().contains("line 1: stem file must be inside the stem folder"));
    Files.writeString(set.resolve(StemSet.MANIFEST), "lead a.wav\n");
    IOException syntax = assertThrows(IOException.class, () -> Decoders.open(set));
    assertTrue(syntax.getMessage().contains("line 1: expected \"name = file\""));
  }

  @Test
  void anOrdinaryFileHasNoStems() throws IOException {
    Path f = wav(dir.resolve("plain.wav"), 48_000, 2, ramp(0, 2, 100));
    try (Decoder d = Decoders.open(f)) {
      assertNull(d.stems());
    }
  }

  @Test
  void anNiStemsFileIsDecodedAsItsFourStemsInLockstep() throws Exception {
    assumeTrue(Decoders.ffmpegAvailable(), "ffmpeg not installed");
    Path file = dir.resolve("song.stem.mp4");
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
    int[] hz = {1000, 200, 300, 500, 700}; // master, drums, bass, other, vocals
    for (int f : hz) {
      cmd.addAll(
          List.of("-f", "lavfi", "-i", "sine=frequency=" + f + ":duration=1:sample_rate=44100"));
    }
    for (int i = 0; i < hz.length; i++) {
      cmd.addAll(List.of("-map", i + ":a"));
    }
    cmd.addAll(List.of("-c:a", "aac", "-ac", "2", file.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "ffmpeg made the file");
    try (Decoder d = Decoders.open(file)) {
      assertEquals(List.of("drums", "bass", "other", "vocals"), d.stems().names());
      assertTrue(d.stems().isVocal(3));
      float[] all = readAllApart(d, 4);
      int frames = all.length / 8;
      assertEquals(44_100, frames, 2048);
      for (int s = 0; s < 4; s++) {
        float[] one = new float[frames * 2];
        for (int f = 0; f < frames; f++) {
          one[2 * f] = all[(f * 4 + s) * 2];
          one[2 * f + 1] = all[(f * 4 + s) * 2 + 1];
        }
        assertEquals(hz[s + 1], Signals.frequency(one, 2, 0, 44_100, 4000, 40_000), 0.5);
      }
    }
  }
}
