package io.tonearm.daemon.library;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TagReaderTest {
  @TempDir Path tmp;

  /**
   * 16-bit stereo at 44.1 kHz: {@code frames} of silence, the data chunk claiming {@code claim}.
   */
  static byte[] wav(int frames, long claim) {
    ByteBuffer b = ByteBuffer.allocate(44 + frames * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x46464952).putInt((int) Math.min(0xFFFFFFFFL, claim + 36)).putInt(0x45564157);
    b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 2);
    b.putInt(44_100).putInt(44_100 * 4).putShort((short) 4).putShort((short) 16);
    b.putInt(0x61746164).putInt((int) claim);
    return b.array();
  }

  @Test
  void aWavWhoseHeaderClaims4GiBLastsWhatTheFileHolds() throws Exception {
    Path big = Files.write(tmp.resolve("claims-4GiB.wav"), wav(44_100, 0xFFFFFFF0L));
    assertEquals(1000, TagReader.read(big).durationMs());
    Path honest = Files.write(tmp.resolve("honest.wav"), wav(22_050, 22_050 * 4));
    assertEquals(500, TagReader.read(honest).durationMs());
  }
}
