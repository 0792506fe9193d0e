package io.tonearm.daemon.decode;

import java.io.IOException;
import java.nio.file.Path;

/** One format's entry in {@link Decoders}: recognises a file and opens a {@link Decoder} on it. */
public interface DecoderPlugin {

  /** Short name reported in capabilities, e.g. "wav". */
  String name();

  /**
   * True when this plugin takes the file, judged by its first bytes ({@code head}, up to 64) and
   * then by its lower-case extension (without the dot).
   */
  boolean accepts(byte[] head, int headLength, String extension);

  /** Opens the file. */
  Decoder open(Path file) throws IOException;
}
