package io.tonearm.daemon.decode;

import java.io.Closeable;
import java.io.IOException;

/**
 * Decodes one opened file to interleaved float PCM. Not thread-safe: one decoder thread owns it.
 * Made by {@link Decoders#open}; closed by its owner.
 */
public interface Decoder extends Closeable {

  /** The PCM this decoder produces; fixed for its life. */
  AudioFormat format();

  /**
   * Reads up to {@code maxFrames} frames into {@code dst} starting at {@code offset} (in samples),
   * interleaved. Blocks only on file I/O.
   *
   * @return frames read, or -1 at the end of the stream
   * @throws IOException when the file is unreadable or corrupt beyond recovery
   */
  int read(float[] dst, int offset, int maxFrames) throws IOException;

  /**
   * Moves to {@code frame} (0-based, after encoder delay), so that the next read starts there:
   * exactly for PCM and FLAC, within one codec block for lossy formats.
   *
   * @throws IOException when the file cannot seek there
   */
  void seek(long frame) throws IOException;

  /**
   * A problem the decoder got past since the last call (damaged data skipped, with what was
   * skipped), or null. Called by the thread that reads, after a read; each problem is returned
   * once.
   */
  default String takeProblem() {
    return null;
  }

  /**
   * The stems this decoder keeps apart for the mixer (see {@link StemSetDecoder}), or null for an
   * ordinary file. When not null, {@link #readStems} gives them apart and {@link #read} their sum.
   */
  default StemLayout stems() {
    return null;
  }

  /**
   * Reads up to {@code maxFrames} frames with the stems apart: each frame holds {@code
   * stems().count() * format().channels()} samples, the channels of stem 0 first. An ordinary
   * decoder reads as {@link #read}. A decoder is read through one of the two methods, not both.
   *
   * @return frames read, or -1 at the end of the stream
   */
  default int readStems(float[] dst, int offset, int maxFrames) throws IOException {
    return read(dst, offset, maxFrames);
  }
}
