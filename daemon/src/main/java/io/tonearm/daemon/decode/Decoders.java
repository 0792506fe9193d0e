package io.tonearm.daemon.decode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Every decoder, listed in one place, tried in order. */
public final class Decoders {

  private static final List<DecoderPlugin> PLUGINS =
      List.of(new WavDecoder.Plugin(), new FlacDecoder.Plugin());

  private Decoders() {}

  /** The plugins, in the order they are tried. */
  public static List<DecoderPlugin> plugins() {
    return PLUGINS;
  }

  /**
   * Opens {@code file} with the first plugin that recognises its content (or, failing that, its
   * extension).
   *
   * @throws UnsupportedFormatException when no plugin takes it
   * @throws IOException when the file cannot be read or is corrupt
   */
  public static Decoder open(Path file) throws IOException {
    byte[] head = new byte[64];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n == 0) {
      throw new UnsupportedFormatException("empty file: " + file.getFileName());
    }
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    for (DecoderPlugin p : PLUGINS) {
      if (p.accepts(head, n, ext)) {
        return p.open(file);
      }
    }
    throw new UnsupportedFormatException("no decoder takes " + name);
  }
}
