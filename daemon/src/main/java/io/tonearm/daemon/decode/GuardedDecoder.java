package io.tonearm.daemon.decode;

import java.io.IOException;

/**
 * Wraps every decoder {@link Decoders#open} returns so that no runtime exception or stack overflow
 * from a decoder or its codec library escapes to the decoder thread: each becomes an {@link
 * IOException} naming the file. After such a failure the decoder reports the end of the stream.
 *
 * <p>A stream that ends before the length its decoder stated at open (the file was truncated or
 * overwritten while it played) ends with an {@link IOException} saying so, not silently, so that
 * the player reports the item. ffmpeg's lengths come from container durations and may be off by a
 * codec block, so they are not held to this.
 */
final class GuardedDecoder implements Decoder {

  private final Decoder inner;
  private final String name;
  private final boolean exactLength;
  private boolean failed;
  private long position; // frames handed out since open or the last seek

  GuardedDecoder(Decoder inner, String name) {
    this.inner = inner;
    this.name = name;
    // ffmpeg's lengths are container durations; a stem set pads its stems to the longest, each
    // stem being held to its own length by its own guard.
    this.exactLength = !(inner instanceof FfmpegDecoder) && !(inner instanceof StemSetDecoder);
  }

  /** The decoder inside, e.g. to reach {@link OpusDecoder#outputGainDb()}. */
  Decoder unwrap() {
    return inner;
  }

  @Override
  public AudioFormat format() {
    return inner.format();
  }

  @Override
  public StemLayout stems() {
    return inner.stems();
  }

  @Override
  public int read(float[] dst, int offset, int maxFrames) throws IOException {
    return guarded(dst, offset, maxFrames, false);
  }

  @Override
  public int readStems(float[] dst, int offset, int maxFrames) throws IOException {
    return guarded(dst, offset, maxFrames, true);
  }

  private int guarded(float[] dst, int offset, int maxFrames, boolean apart) throws IOException {
    if (failed) {
      return -1;
    }
    StemLayout layout = apart ? inner.stems() : null;
    int width = inner.format().channels() * (layout == null ? 1 : layout.count());
    if (offset < 0 || maxFrames < 0 || (long) offset + (long) maxFrames * width > dst.length) {
      throw new IndexOutOfBoundsException(
          "read of " + maxFrames + " frames at " + offset + " into " + dst.length + " samples");
    }
    int n;
    try {
      n = apart ? inner.readStems(dst, offset, maxFrames) : inner.read(dst, offset, maxFrames);
    } catch (RuntimeException | StackOverflowError e) {
      failed = true;
      throw new IOException(name + ": decoder failed: " + e, e);
    }
    if (n > 0) {
      position += n;
    } else if (n < 0 && exactLength && position < inner.format().frames()) {
      failed = true;
      throw new IOException(
          name
              + ": the file ends at frame "
              + position
              + " of "
              + inner.format().frames()
              + " (truncated or overwritten while playing)");
    }
    return n;
  }

  @Override
  public void seek(long frame) throws IOException {
    try {
      inner.seek(frame);
      failed = false;
      position = frame;
    } catch (RuntimeException | StackOverflowError e) {
      failed = true;
      throw new IOException(name + ": seek failed: " + e, e);
    }
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }

  @Override
  public String takeProblem() {
    return inner.takeProblem();
  }
}
