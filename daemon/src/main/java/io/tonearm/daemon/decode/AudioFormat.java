package io.tonearm.daemon.decode;

/**
 * The PCM a decoder produces: interleaved 32-bit float samples in [-1, 1].
 *
 * @param sampleRate frames per second, in Hz
 * @param channels channels per frame
 * @param frames total frames after encoder delay and padding are removed, or -1 when unknown
 * @param codec short codec name, e.g. "flac"
 * @param bitsPerSample source bit depth for lossless codecs, 0 for lossy ones
 */
public record AudioFormat(
    int sampleRate, int channels, long frames, String codec, int bitsPerSample) {

  public AudioFormat {
    if (sampleRate <= 0 || sampleRate > 768_000) {
      throw new IllegalArgumentException("sample rate out of range: " + sampleRate);
    }
    if (channels <= 0 || channels > 8) {
      throw new IllegalArgumentException("channel count out of range: " + channels);
    }
  }

  /** Length in microseconds, or -1 when unknown. */
  public long durationMicros() {
    return frames < 0 ? -1 : frames * 1_000_000L / sampleRate;
  }
}
