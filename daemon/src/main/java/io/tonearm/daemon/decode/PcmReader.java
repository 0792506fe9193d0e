package io.tonearm.daemon.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Reads uncompressed interleaved PCM from one region of a file, for the WAV and AIFF decoders:
 * integer samples of 1 to 4 bytes (8-bit signed or unsigned) or IEEE float of 4 or 8 bytes, in
 * either byte order. Seeks exactly. A region that runs past the end of the file (a truncated file)
 * reads up to the last whole frame.
 */
final class PcmReader {

  private static final int BUFFER_BYTES = 64 * 1024;

  private final FileChannel channel;
  private final long dataStart;
  private final long frames;
  private final int channels;
  private final int bytesPerSample;
  private final int blockAlign;
  private final boolean floating;
  private final boolean unsigned8;
  private final ByteBuffer buffer;

  /**
   * 16-bit samples of a read, taken from {@link #buffer} in one bulk copy; null for other forms.
   */
  private final short[] shorts;

  private long frame;

  /**
   * @param bytesPerSample container bytes per sample: 1-4 for integers, 4 or 8 for float
   * @param blockAlign bytes per frame (at least channels * bytesPerSample)
   */
  PcmReader(
      FileChannel channel,
      long dataStart,
      long frames,
      int channels,
      int bytesPerSample,
      int blockAlign,
      boolean floating,
      boolean bigEndian,
      boolean unsigned8) {
    this.channel = channel;
    this.dataStart = dataStart;
    this.frames = frames;
    this.channels = channels;
    this.bytesPerSample = bytesPerSample;
    this.blockAlign = blockAlign;
    this.floating = floating;
    this.unsigned8 = unsigned8;
    this.buffer =
        ByteBuffer.allocateDirect(Math.max(BUFFER_BYTES, blockAlign))
            .order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    this.shorts =
        !floating && bytesPerSample == 2 && blockAlign == channels * 2
            ? new short[buffer.capacity() / 2]
            : null;
  }

  int read(float[] dst, int offset, int maxFrames) throws IOException {
    long left = frames - frame;
    if (left <= 0) {
      return -1;
    }
    if (maxFrames <= 0) {
      return 0;
    }
    int n = (int) Math.min(Math.min(maxFrames, left), buffer.capacity() / blockAlign);
    buffer.clear().limit(n * blockAlign);
    long at = dataStart + frame * blockAlign;
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, at + buffer.position()) < 0) {
        break; // the file is shorter than its header says: hand out what is there
      }
    }
    n = buffer.position() / blockAlign;
    if (n == 0) {
      return -1;
    }
    buffer.flip();
    if (shorts != null) {
      // The common form (16-bit, packed): one bulk copy (byte order applied by the view) and a
      // plain loop, where a getShort per sample costs a bounds and scope check each under C1.
      int count = n * channels;
      buffer.asShortBuffer().get(shorts, 0, count);
      for (int i = 0; i < count; i++) {
        dst[offset + i] = shorts[i] * 0x1p-15f; // = / 32768f exactly (a power of two), no divide
      }
      frame += n;
      return n;
    }
    int skip = blockAlign - channels * bytesPerSample;
    for (int f = 0, o = offset; f < n; f++) {
      for (int c = 0; c < channels; c++) {
        dst[o++] = sample();
      }
      if (skip > 0) {
        buffer.position(buffer.position() + skip);
      }
    }
    frame += n;
    return n;
  }

  private float sample() {
    if (floating) {
      return bytesPerSample == 4 ? buffer.getFloat() : (float) buffer.getDouble();
    }
    switch (bytesPerSample) {
      case 1:
        return unsigned8 ? ((buffer.get() & 0xFF) - 128) / 128f : buffer.get() / 128f;
      case 2:
        return buffer.getShort() / 32768f;
      case 3:
        int b0 = buffer.get() & 0xFF;
        int b1 = buffer.get() & 0xFF;
        int b2 = buffer.get() & 0xFF;
        int v =
            buffer.order() == ByteOrder.BIG_ENDIAN
                ? (b0 << 24) | (b1 << 16) | (b2 << 8)
                : (b2 << 24) | (b1 << 16) | (b0 << 8);
        return (v >> 8) / 8388608f;
      default:
        return (float) (buffer.getInt() / 2147483648.0);
    }
  }

  void seek(long target) throws IOException {
    if (target < 0 || target > frames) {
      throw new IOException("seek to frame " + target + " outside 0.." + frames);
    }
    frame = target;
  }
}
