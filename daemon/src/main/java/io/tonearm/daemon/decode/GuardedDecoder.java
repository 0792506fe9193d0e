package io.tonearm.daemon.decode;

import java.io.IOException;

/**
 * Wraps every decoder {@link Decoders#open} returns so that no runtime exception or stack overflow
 * from a decoder or its codec library escapes to the decoder thread: each becomes an {@link
 * IOException} naming the file. After such a failure the decoder reports the end of the stream.
 */
final class GuardedDecoder implements Decoder {

  private final Decoder inner;
  private final String name;
  private boolean failed;

  GuardedDecoder(Decoder inner, String name) {
    this.inner = inner;
    this.name = name;
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
  public int read(float[] dst, int offset, int maxFrames) throws IOException {
    if (failed) {
      return -1;
    }
    if (offset < 0
        || maxFrames < 0
        || (long) offset + (long) maxFrames * inner.format().channels() > dst.length) {
      throw new IndexOutOfBoundsException(
          "read of " + maxFrames + " frames at " + offset + " into " + dst.length + " samples");
    }
    try {
      return inner.read(dst, offset, maxFrames);
    } catch (RuntimeException | StackOverflowError e) {
      failed = true;
      throw new IOException(name + ": decoder failed: " + e, e);
    }
  }

  @Override
  public void seek(long frame) throws IOException {
    try {
      inner.seek(frame);
      failed = false;
    } catch (RuntimeException | StackOverflowError e) {
      failed = true;
      throw new IOException(name + ": seek failed: " + e, e);
    }
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }
}
