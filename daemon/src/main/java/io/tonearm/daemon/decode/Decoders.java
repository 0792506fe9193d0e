package io.tonearm.daemon.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every decoder, listed in one place, tried in order. Content beats the file name: every plugin is
 * first asked about the file's first bytes alone, and only then about its extension. ffmpeg, when
 * installed, comes last and also takes what a native plugin recognised but cannot decode.
 *
 * <p>Thread-safe. {@link #open} never lets a runtime exception escape: a decoder bug or a library
 * failure on a hostile file becomes an {@link IOException} naming the file.
 */
public final class Decoders {

  private static final int HEAD = 64;

  private static final List<DecoderPlugin> PLUGINS =
      List.of(
          new WavDecoder.Plugin(),
          new AiffDecoder.Plugin(),
          new FlacDecoder.Plugin(),
          new VorbisDecoder.Plugin(),
          new OpusDecoder.Plugin(),
          new Mp3Decoder.Plugin(),
          new FfmpegDecoder.Plugin());

  private Decoders() {}

  /** The plugins, in the order they are tried. */
  public static List<DecoderPlugin> plugins() {
    return PLUGINS;
  }

  /** Whether an {@code ffmpeg} executable answered {@code ffmpeg -version} (probed once). */
  public static boolean ffmpegAvailable() {
    return FfmpegDecoder.available();
  }

  /**
   * Which decoder Opus files get, for /health: {@code "libopus 1.3.1 (float)"} where the system's
   * libopus loads, else {@code "concentus (16-bit fixed point)"}.
   */
  public static String opusDecoder() {
    return OpusDecoder.codecInUse();
  }

  /**
   * Which decoder MP3 files get, for /health: {@code "libmpg123 (float)"} where the system's
   * libmpg123 loads, else {@code "jlayer"}.
   */
  public static String mp3Decoder() {
    return Mp3Decoder.codecInUse();
  }

  /**
   * What this daemon can decode, for /health and Hello: {@code "decoder:<name>"} per native plugin,
   * plus {@code "decoder:ffmpeg"} when ffmpeg is present.
   */
  public static List<String> capabilities() {
    List<String> caps = new ArrayList<>();
    for (DecoderPlugin p : PLUGINS) {
      if (!(p instanceof FfmpegDecoder.Plugin) || ffmpegAvailable()) {
        caps.add("decoder:" + p.name());
      }
    }
    return List.copyOf(caps);
  }

  /**
   * Opens {@code file} with the first plugin that recognises its content (or, failing that, its
   * extension). A directory is opened as a stem folder and an NI Stems file ({@code *.stem.mp4}) as
   * its stems, both through {@link StemSet}.
   *
   * @throws UnsupportedFormatException when no plugin takes it
   * @throws IOException when the file cannot be read or is corrupt
   */
  public static Decoder open(Path file) throws IOException {
    return open(file, String.valueOf(file.getFileName()));
  }

  /**
   * As {@link #open(Path)}, judging the format by {@code fileName}'s extension rather than {@code
   * file}'s: for a file staged under a temporary name (an upload).
   */
  public static Decoder open(Path file, String fileName) throws IOException {
    if (Files.isDirectory(file)) {
      return new GuardedDecoder(StemSet.openFolder(file), fileName);
    }
    if (StemSet.isNiStem(fileName) && ffmpegAvailable()) {
      return new GuardedDecoder(StemSet.openNiStem(file), fileName);
    }
    byte[] head = new byte[HEAD];
    int n;
    try (SeekableByteChannel ch = Files.newByteChannel(file)) {
      n = readHead(ch, head);
      long tag = Id3v2.length(head, n);
      if (tag > 0 && tag < ch.size()) {
        // Sniff what follows the tag: ID3v2 sits in front of MP3, and sometimes FLAC or AAC.
        ch.position(tag);
        n = readHead(ch, head);
      }
    }
    if (n == 0) {
      throw new UnsupportedFormatException("empty file: " + fileName);
    }
    String name = fileName;
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    UnsupportedFormatException unsupported = null;
    for (int pass = 0; pass < 2; pass++) {
      for (DecoderPlugin p : PLUGINS) {
        boolean ffmpeg = p instanceof FfmpegDecoder.Plugin;
        boolean takes = pass == 0 ? p.accepts(head, n, "") : p.accepts(head, n, ext);
        if (!takes && !(ffmpeg && unsupported != null && ffmpegAvailable())) {
          continue;
        }
        try {
          return new GuardedDecoder(p.open(file), name);
        } catch (UnsupportedFormatException e) {
          if (unsupported == null) {
            unsupported = e;
          }
        } catch (IOException e) {
          throw new IOException(name + ": " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
          throw new IOException(name + ": " + p.name() + " decoder failed: " + e, e);
        }
      }
    }
    if (unsupported != null) {
      throw new UnsupportedFormatException(name + ": " + unsupported.getMessage());
    }
    throw new UnsupportedFormatException("no decoder takes " + name);
  }

  private static int readHead(SeekableByteChannel ch, byte[] head) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(head);
    while (b.hasRemaining() && ch.read(b) > 0) {
      // keep reading: a channel may return short reads
    }
    return b.position();
  }
}
