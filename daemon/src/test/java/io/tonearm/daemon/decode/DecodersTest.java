package io.tonearm.daemon.decode;

import static io.tonearm.daemon.decode.Signals.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DecodersTest {

  private static final List<String> FIXTURES =
      List.of(
          "1s_440Hz_44k1_mono_16bit.wav",
          "1s_440Hz_44k1_stereo_16bit.aiff",
          "1s_1kHz_48k_mono_24bit.aifc",
          "1s_440Hz_44k1_stereo_16bit.flac",
          "3s_440Hz_44k1_mono_seektable.flac",
          "1s_440Hz_44k1_stereo_cbr128.mp3",
          "1s_440Hz_44k1_stereo_vbr.mp3",
          "1s_440Hz_44k1_stereo.ogg",
          "1s_1kHz_48k_stereo.opus");

  @TempDir Path tmp;

  @Test
  void capabilitiesListEveryNativeDecoder() {
    assertTrue(
        Decoders.capabilities()
            .containsAll(
                List.of(
                    "decoder:wav",
                    "decoder:aiff",
                    "decoder:flac",
                    "decoder:vorbis",
                    "decoder:opus",
                    "decoder:mp3")));
  }

  @Test
  void contentBeatsTheExtension() throws IOException {
    assertCodec("1s_440Hz_44k1_stereo_16bit.flac", "really_flac.mp3", "flac");
    assertCodec("1s_440Hz_44k1_stereo_vbr.mp3", "really_mp3.ogg", "mp3");
    assertCodec("1s_1kHz_48k_stereo.opus", "really_opus.ogg", "opus");
    assertCodec("1s_440Hz_44k1_stereo.ogg", "really_vorbis.opus", "vorbis");
    assertCodec("1s_440Hz_44k1_mono_16bit.wav", "really_wav.flac", "wav");
    assertCodec("1s_440Hz_44k1_stereo_16bit.aiff", "no_extension", "aiff");
  }

  private void assertCodec(String fixture, String name, String codec) throws IOException {
    Path p = tmp.resolve(name);
    Files.copy(fixture(fixture), p);
    try (Decoder d = Decoders.open(p)) {
      assertEquals(codec, d.format().codec());
      assertTrue(Signals.decodeAll(d).length > 0);
    }
  }

  @Test
  void mp3BehindAnId3v2TagIsFound() throws IOException {
    byte[] mp3 = Files.readAllBytes(fixture("1s_440Hz_44k1_stereo_cbr128.mp3"));
    byte[] tagged = new byte[10 + 300 + mp3.length];
    System.arraycopy(new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 2, 44}, 0, tagged, 0, 10);
    System.arraycopy(mp3, 0, tagged, 310, mp3.length);
    Path p = tmp.resolve("tagged.bin");
    Files.write(p, tagged);
    try (Decoder d = Decoders.open(p)) {
      assertEquals(44100, d.format().frames());
      assertEquals(44100 * 2, Signals.decodeAll(d).length);
    }
  }

  @Test
  void emptyFileIsUnsupported() throws IOException {
    Path p = Files.createFile(tmp.resolve("empty.flac"));
    assertThrows(UnsupportedFormatException.class, () -> Decoders.open(p));
  }

  @Test
  void missingFileIsAnIoException() {
    assertThrows(IOException.class, () -> Decoders.open(tmp.resolve("nope.mp3")));
  }

  @Test
  @Timeout(60)
  void randomBytesAreUnsupportedWhateverTheName() throws IOException {
    byte[] junk = new byte[64 * 1024];
    new Random(42).nextBytes(junk);
    junk[0] = 0x13; // never a frame sync
    for (String name :
        List.of(
            "junk.flac",
            "junk.mp3",
            "junk.ogg",
            "junk.opus",
            "junk.wav",
            "junk.aiff",
            "junk.bin")) {
      Path p = tmp.resolve(name);
      Files.write(p, junk);
      assertThrows(UnsupportedFormatException.class, () -> Decoders.open(p), name);
    }
  }

  @Test
  @Timeout(120)
  void truncatedFilesEndCleanlyOrFailWithIoException() throws IOException {
    for (String name : FIXTURES) {
      byte[] full = Files.readAllBytes(fixture(name));
      for (int cut : new int[] {1, 4, 12, 40, 100, 1000, full.length / 3, full.length - 1}) {
        Path p = tmp.resolve("cut_" + cut + "_" + name);
        Files.write(p, Arrays.copyOf(full, cut));
        decodeExpectingOnlyIoExceptions(p);
      }
    }
  }

  @Test
  @Timeout(120)
  void corruptedFilesEndCleanlyOrFailWithIoException() throws IOException {
    Random random = new Random(7);
    for (String name : FIXTURES) {
      byte[] full = Files.readAllBytes(fixture(name));
      for (int round = 0; round < 6; round++) {
        byte[] bad = full.clone();
        int from = full.length / 8 + random.nextInt(full.length / 2);
        for (int i = 0; i < 64 << round && from + i < bad.length; i++) {
          bad[from + i] = (byte) random.nextInt();
        }
        Path p = tmp.resolve("bad_" + round + "_" + name);
        Files.write(p, bad);
        decodeExpectingOnlyIoExceptions(p);
      }
    }
  }

  /** Opens, reads to the end and seeks: only IOExceptions may come out, and every loop ends. */
  private static void decodeExpectingOnlyIoExceptions(Path p) {
    try (Decoder d = Decoders.open(p)) {
      try {
        Signals.decodeAll(d);
      } catch (IOException expected) {
        // corruption found mid-file: fine
      }
      long frames = d.format().frames();
      try {
        d.seek(Math.max(0, frames / 2));
        Signals.decodeAll(d);
      } catch (IOException expected) {
        // fine
      }
    } catch (IOException expected) {
      // rejected up front: fine
    } catch (RuntimeException | Error e) {
      fail(p.getFileName() + " let " + e + " escape", e);
    }
  }
}
