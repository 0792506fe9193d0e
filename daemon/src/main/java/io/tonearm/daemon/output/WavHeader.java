package io.tonearm.daemon.output;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The canonical 44-byte RIFF/WAVE header: RIFF, fmt (16 bytes), then the data chunk's header. */
public final class WavHeader {

  /** Size of the header in bytes. */
  public static final int BYTES = 44;

  /** WAVE_FORMAT_PCM: integer samples. */
  public static final int PCM = 1;

  /** WAVE_FORMAT_IEEE_FLOAT: float samples. */
  public static final int FLOAT = 3;

  private WavHeader() {}

  /**
   * Puts the header at {@code b}'s position, little-endian.
   *
   * @param dataBytes bytes of sample data that follow, or -1 when unknown (an endless stream: both
   *     sizes are written as 0xFFFFFFFF)
   */
  public static void put(
      ByteBuffer b, int formatTag, int channels, int rate, int bitsPerSample, long dataBytes) {
    ByteOrder order = b.order();
    b.order(ByteOrder.LITTLE_ENDIAN);
    int blockAlign = channels * bitsPerSample / 8;
    int riffSize = dataBytes < 0 ? 0xFFFFFFFF : (int) (36 + dataBytes);
    int dataSize = dataBytes < 0 ? 0xFFFFFFFF : (int) dataBytes;
    b.putInt(0x46464952).putInt(riffSize).putInt(0x45564157); // "RIFF", size, "WAVE"
    b.putInt(0x20746d66)
        .putInt(16)
        .putShort((short) formatTag)
        .putShort((short) channels); // "fmt "
    b.putInt(rate).putInt(rate * blockAlign).putShort((short) blockAlign);
    b.putShort((short) bitsPerSample);
    b.putInt(0x61746164).putInt(dataSize); // "data", size
    b.order(order);
  }
}
