package io.tonearm.daemon.decode;

import java.io.IOException;

/**
 * One Opus decoder (single or multistream) behind {@link OpusDecoder}: decodes a packet to
 * interleaved float samples in the stream's channel order (before any reordering to WAV order),
 * scaled so that full scale is 1.0, with the OpusHead output gain applied. Not thread-safe: owned
 * by the decoder thread.
 */
interface OpusCodec extends AutoCloseable {

  /**
   * Decodes one packet into {@code pcm} (at least {@code maxFrames * channels} long).
   *
   * @return frames decoded
   * @throws IOException when the packet is corrupt
   */
  int decode(byte[] packet, int length, float[] pcm, int maxFrames) throws IOException;

  /** Forgets all decoder state, as after a seek; keeps the output gain. */
  void reset() throws IOException;

  /** Frees native memory, if any. Idempotent. */
  @Override
  void close();
}
