package io.tonearm.daemon.settings;

/**
 * The file a render writes: the engine's 32-bit float samples as they are (WAV), or FLAC words of
 * 16 or 24 bits, TPDF-dithered by the outputs' {@link io.tonearm.daemon.output.Quantizer}.
 */
public enum RenderFormat {
  /** 32-bit float WAV: bit for bit what the live chain plays. */
  FLOAT_WAV(".wav", 32),
  /** FLAC, 16-bit words, TPDF dither of ±1 LSB. */
  FLAC_16(".flac", 16),
  /** FLAC, 24-bit words, TPDF dither of ±1 LSB. */
  FLAC_24(".flac", 24);

  private final String extension;
  private final int bits;

  RenderFormat(String extension, int bits) {
    this.extension = extension;
    this.bits = bits;
  }

  /** The file name's ending, with its dot. */
  public String extension() {
    return extension;
  }

  /** Bits per sample in the file. */
  public int bits() {
    return bits;
  }
}
