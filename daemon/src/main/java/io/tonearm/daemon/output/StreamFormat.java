package io.tonearm.daemon.output;

import io.tonearm.daemon.encode.Mp3Encoder;
import io.tonearm.daemon.encode.OggOpusEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * The formats {@link HttpStreamOutput} sends, each by its name in {@code /stream/<name>} and the
 * {@code X-Tonearm-Stream-Format} header. Opus and MP3 need the system's libopus and libmp3lame.
 */
public enum StreamFormat {
  /** Endless WAV, 16-bit PCM. */
  WAV16("wav16", "audio/wav", 16),
  /** Endless WAV, 24-bit PCM. */
  WAV24("wav24", "audio/wav", 24),
  /** FLAC of the 16-bit words (the same samples as {@link #WAV16}). */
  FLAC("flac", "audio/flac", 16),
  /** FLAC of the 24-bit words (the same samples as {@link #WAV24}). */
  FLAC24("flac24", "audio/flac", 24),
  /** Ogg Opus from the float samples, through libopus. */
  OPUS("opus", "audio/ogg", 0),
  /** MP3 from the float samples, through libmp3lame. */
  MP3("mp3", "audio/mpeg", 0);

  private final String wireName;
  private final String contentType;
  private final int bits;

  StreamFormat(String wireName, String contentType, int bits) {
    this.wireName = wireName;
    this.contentType = contentType;
    this.bits = bits;
  }

  /** The name in paths, headers and 406 details. */
  public String wireName() {
    return wireName;
  }

  public String contentType() {
    return contentType;
  }

  /** The integer word length the format carries, or 0 for the lossy ones (encoded from floats). */
  public int bits() {
    return bits;
  }

  /** True when this process can make the format (its encoder library loads). */
  public boolean available() {
    return switch (this) {
      case OPUS -> OggOpusEncoder.available();
      case MP3 -> Mp3Encoder.available();
      default -> true;
    };
  }

  /** The formats this process can make, in declaration order. */
  public static List<StreamFormat> availableFormats() {
    List<StreamFormat> out = new ArrayList<>();
    for (StreamFormat f : values()) {
      if (f.available()) {
        out.add(f);
      }
    }
    return List.copyOf(out);
  }

  /** The format named {@code name} ({@link #wireName}), or null. */
  public static StreamFormat named(String name) {
    for (StreamFormat f : values()) {
      if (f.wireName.equals(name)) {
        return f;
      }
    }
    return null;
  }
}
