package io.tonearm.daemon.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Audio files synthesized for tests, with known content. */
public final class TestTones {

  /** The rate of the files written here. */
  public static final int RATE = 48_000;

  private TestTones() {}

  /**
   * Writes a stereo 16-bit 48 kHz WAV of {@code seconds} of a 1 kHz sine at {@code amplitude} (of
   * full scale, below 1; 0: silence), making its folder.
   */
  public static void wav(Path file, double amplitude, int seconds) throws Exception {
    int frames = seconds * RATE;
    ByteBuffer b = ByteBuffer.allocate(44 + frames * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x46464952).putInt(36 + frames * 4).putInt(0x45564157);
    b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 2);
    b.putInt(RATE).putInt(RATE * 4).putShort((short) 4).putShort((short) 16);
    b.putInt(0x61746164).putInt(frames * 4);
    for (int f = 0; f < frames; f++) {
      short v = (short) Math.round(32768 * amplitude * Math.sin(2 * Math.PI * 1000.0 * f / RATE));
      b.putShort(v).putShort(v);
    }
    Files.createDirectories(file.getParent());
    Files.write(file, b.array());
  }
}
