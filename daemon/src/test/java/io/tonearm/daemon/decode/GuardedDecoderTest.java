package io.tonearm.daemon.decode;

import static io.tonearm.daemon.decode.Signals.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardedDecoderTest {

  @TempDir Path dir;

  private Path copy(String name) throws IOException {
    return Files.copy(fixture("1s_440Hz_44k1_mono_16bit.wav"), dir.resolve(name));
  }

  @Test
  void fileCutWhileOpenEndsWithAnErrorNamingItAndWhereItEnded() throws IOException {
    Path f = copy("cut.wav");
    try (Decoder d = Decoders.open(f)) {
      float[] buf = new float[1000];
      assertEquals(1000, d.read(buf, 0, 1000));
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
        ch.truncate(ch.size() / 2);
      }
      IOException e =
          assertThrows(
              IOException.class,
              () -> {
                while (d.read(buf, 0, 1000) >= 0) {
                  // read up to the new end
                }
              });
      assertTrue(e.getMessage().startsWith("cut.wav: the file ends at frame "), e.getMessage());
      assertTrue(e.getMessage().contains(" of 44100 (truncated or overwritten"), e.getMessage());
      assertEquals(-1, d.read(buf, 0, 1000), "after the failure the stream has ended");
    }
  }

  @Test
  void fileCutBeforeOpeningPlaysWhatItHoldsWithoutError() throws IOException {
    Path f = copy("short.wav");
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(bytes, bytes.length / 2));
    try (Decoder d = Decoders.open(f)) {
      long stated = d.format().frames();
      assertTrue(stated > 0 && stated < 44_100, "length " + stated);
      assertEquals(stated, Signals.decodeAll(d).length);
    }
  }

  @Test
  void readingToTheEndAfterASeekIsNoError() throws IOException {
    try (Decoder d = Decoders.open(copy("whole.wav"))) {
      d.seek(44_000);
      assertEquals(100, Signals.decodeAll(d).length);
      d.seek(0);
      assertEquals(44_100, Signals.decodeAll(d).length);
    }
  }
}
