package io.tonearm.daemon.decode;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.function.BooleanSupplier;

/**
 * A decoder that a job can stop between two reads: each {@link #read} first asks {@code stop} and
 * throws {@link InterruptedIOException} once it says so. A read is a few thousand frames (well
 * under a millisecond of work), so a long file stops at once instead of at its end. Same threading
 * as the decoder it wraps.
 */
public final class StoppableDecoder implements Decoder {
  private final Decoder decoder;
  private final BooleanSupplier stop;

  public StoppableDecoder(Decoder decoder, BooleanSupplier stop) {
    this.decoder = decoder;
    this.stop = stop;
  }

  @Override
  public AudioFormat format() {
    return decoder.format();
  }

  @Override
  public int read(float[] dst, int offset, int maxFrames) throws IOException {
    if (stop.getAsBoolean()) {
      throw new InterruptedIOException("stopped");
    }
    return decoder.read(dst, offset, maxFrames);
  }

  @Override
  public StemLayout stems() {
    return decoder.stems();
  }

  @Override
  public int readStems(float[] dst, int offset, int maxFrames) throws IOException {
    if (stop.getAsBoolean()) {
      throw new InterruptedIOException("stopped");
    }
    return decoder.readStems(dst, offset, maxFrames);
  }

  @Override
  public void seek(long frame) throws IOException {
    decoder.seek(frame);
  }

  @Override
  public void close() throws IOException {
    decoder.close();
  }

  @Override
  public String takeProblem() {
    return decoder.takeProblem();
  }
}
