package io.tonearm.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small 16-bit mono WAV files (a 440 Hz sine) for tests that need a library. */
public final class TestMusic {
  private TestMusic() {}

  /** {@code seconds} of a -6 dBFS 440 Hz sine at 8 kHz, mono. */
  public static Path wav(Path file, double seconds) throws IOException {
    int rate = 8000;
    int frames = (int) (seconds * rate);
    ByteBuffer b = ByteBuffer.allocate(44 + frames * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + frames * 2).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1);
    b.putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16);
    b.put("data".getBytes()).putInt(frames * 2);
    for (int i = 0; i < frames; i++) {
      b.putShort((short) (16384 * Math.sin(2 * Math.PI * 440 * i / rate)));
    }
    Files.createDirectories(file.getParent());
    return Files.write(file, b.array());
  }
}
