package io.tonearm.daemon.player;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes 32-bit float WAV files of synthesized signals, so tests compare exact samples. */
public final class TestWav {

  private TestWav() {}

  /** A mono sine at {@code hz}, samples {@code from} (inclusive) to {@code to} (exclusive). */
  public static float[] sine(double hz, int rate, int from, int to) {
    float[] s = new float[to - from];
    for (int i = from; i < to; i++) {
      s[i - from] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return s;
  }

  /** Writes interleaved float samples as a WAV file. */
  public static Path write(Path file, int rate, int channels, float[] samples) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(44 + samples.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x46464952).putInt(36 + samples.length * 4).putInt(0x45564157);
    b.putInt(0x20746d66).putInt(16).putShort((short) 3).putShort((short) channels);
    b.putInt(rate)
        .putInt(rate * channels * 4)
        .putShort((short) (channels * 4))
        .putShort((short) 32);
    b.putInt(0x61746164).putInt(samples.length * 4);
    for (float f : samples) {
      b.putFloat(f);
    }
    Files.createDirectories(file.getParent());
    Files.write(file, b.array());
    return file;
  }
}
