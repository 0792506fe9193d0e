package io.tonearm.daemon.library;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.Tag;
import org.jaudiotagger.tag.TagField;
import org.jaudiotagger.tag.id3.AbstractID3v2Frame;
import org.jaudiotagger.tag.id3.AbstractID3v2Tag;
import org.jaudiotagger.tag.id3.Id3SupportingTag;
import org.jaudiotagger.tag.id3.framebody.FrameBodySYLT;

/**
 * Finds a track's lyrics, best first: an LRC sidecar ({@code Song.lrc} beside {@code Song.flac};
 * for a stem folder {@code lyrics.lrc} inside it or {@code Song.lrc} beside it), an ID3v2 SYLT
 * frame (synchronised lyrics, millisecond stamps), the lyrics tag holding LRC, the lyrics tag as
 * plain untimed text. An MP3 whose ID3v2 tag has no lyrics frame is not parsed ({@link
 * Id3v2LyricsProbe}): a track change costs a few small reads, not jaudiotagger's whole-file parse.
 * Stateless and thread-safe; blocking file I/O.
 */
final class LyricsFinder {

  /** Largest sidecar read, bytes. */
  static final int MAX_SIDECAR_BYTES = 256 * 1024;

  private LyricsFinder() {}

  static TimedLyrics find(Path track) {
    Path sidecar = sidecar(track);
    if (sidecar != null) {
      try {
        return LrcParser.parse(text(Files.readAllBytes(sidecar)), "sidecar");
      } catch (IOException e) {
        // unreadable sidecar: the tags may still have lyrics
      }
    }
    Path tagged = track;
    if (Files.isDirectory(track)) {
      tagged = firstStem(track);
      if (tagged == null) {
        return TimedLyrics.NONE;
      }
    }
    if (TagReader.extension(tagged.getFileName().toString()).equals("mp3")
        && !Id3v2LyricsProbe.mayHoldLyrics(tagged)) {
      // No USLT or SYLT frame: jaudiotagger's two parses (pictures and all, at every track
      // change) could only find none.
      return TimedLyrics.NONE;
    }
    TimedLyrics sylt = sylt(tagged);
    if (sylt != null) {
      return sylt;
    }
    String tag;
    try {
      tag = TagReader.read(tagged).lyrics();
    } catch (IOException e) {
      return TimedLyrics.NONE;
    }
    if (tag.isBlank()) {
      return TimedLyrics.NONE;
    }
    if (LrcParser.looksTimed(tag)) {
      return LrcParser.parse(tag, "tag");
    }
    List<TimedLyrics.Line> lines = new ArrayList<>();
    for (String l : tag.split("\r?\n|\r")) {
      if (lines.size() < TimedLyrics.MAX_LINES) {
        lines.add(new TimedLyrics.Line(-1, l.strip(), List.of()));
      }
    }
    return new TimedLyrics("tag", false, lines, List.of());
  }

  private static Path sidecar(Path track) {
    String name = track.getFileName().toString();
    List<Path> candidates = new ArrayList<>();
    if (Files.isDirectory(track)) {
      candidates.add(track.resolve("lyrics.lrc"));
    }
    int dot = name.lastIndexOf('.');
    if (dot > 0) {
      candidates.add(track.resolveSibling(name.substring(0, dot) + ".lrc"));
    }
    for (Path p : candidates) {
      try {
        if (Files.isRegularFile(p) && Files.size(p) <= MAX_SIDECAR_BYTES) {
          return p;
        }
      } catch (IOException e) {
        // gone meanwhile
      }
    }
    return null;
  }

  private static Path firstStem(Path dir) {
    try {
      return io.tonearm.daemon.decode.StemSet.list(dir).get(0).file();
    } catch (IOException e) {
      return null;
    }
  }

  /** UTF-8 when it decodes as such, else ISO-8859-1 (older LRC files). */
  private static String text(byte[] b) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(b, StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * Extensions for which jaudiotagger picks a reader that can return an ID3v2 tag (MP3, WAV, AIFF,
   * DSF, DFF): only those can hold a SYLT frame. It picks its reader by extension, so for any other
   * file (FLAC, Ogg, MP4...) the parse could only end in "no SYLT" and is skipped: the lyrics tag
   * is then read with one parse of the file instead of two, at every track change.
   */
  private static final Set<String> ID3_EXTENSIONS =
      Set.of("mp3", "wav", "aif", "aifc", "aiff", "dsf", "dff");

  /** The first SYLT frame with millisecond stamps, as lines; null when there is none. */
  static TimedLyrics sylt(Path file) {
    if (!ID3_EXTENSIONS.contains(TagReader.extension(file.getFileName().toString()))) {
      return null;
    }
    Tag tag;
    try {
      AudioFile af = AudioFileIO.read(file.toFile());
      tag = af.getTag();
    } catch (Exception | OutOfMemoryError | StackOverflowError e) {
      return null; // jaudiotagger's many failures on files it does not read: no SYLT
    }
    if (tag instanceof Id3SupportingTag s && s.getID3Tag() != null) {
      tag = s.getID3Tag();
    }
    if (!(tag instanceof AbstractID3v2Tag id3)) {
      return null;
    }
    try {
      for (TagField f : id3.getFields("SYLT")) {
        if (f instanceof AbstractID3v2Frame frame && frame.getBody() instanceof FrameBodySYLT b) {
          if (b.getTimeStampFormat() != 2) {
            return new TimedLyrics(
                "sylt", true, List.of(), List.of("SYLT stamped in MPEG frames: not supported"));
          }
          return syltLines(b.getTextEncoding(), b.getLyrics());
        }
      }
    } catch (RuntimeException e) {
      return null;
    }
    return null;
  }

  /**
   * SYLT content: repeated (text in the frame's encoding, terminated by a null of that encoding,
   * then a 32-bit big-endian time in ms). A line break at a text's start begins a new line; other
   * entries are words of the current line.
   */
  static TimedLyrics syltLines(byte encoding, byte[] data) {
    boolean wide = encoding == 1 || encoding == 2;
    Charset cs =
        switch (encoding) {
          case 1 -> StandardCharsets.UTF_16;
          case 2 -> StandardCharsets.UTF_16BE;
          case 3 -> StandardCharsets.UTF_8;
          default -> StandardCharsets.ISO_8859_1;
        };
    List<TimedLyrics.Line> lines = new ArrayList<>();
    List<TimedLyrics.Word> words = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    long lineStart = -1;
    int i = 0;
    while (i < data.length && lines.size() < TimedLyrics.MAX_LINES) {
      int end = i;
      while (end + (wide ? 1 : 0) < data.length
          && !(data[end] == 0 && (!wide || data[end + 1] == 0))) {
        end += wide ? 2 : 1;
      }
      if (end + (wide ? 2 : 1) + 4 > data.length) {
        break; // truncated entry
      }
      String s = new String(data, i, end - i, cs);
      int t = end + (wide ? 2 : 1);
      long ms = ByteBuffer.wrap(data, t, 4).getInt() & 0xFFFFFFFFL;
      i = t + 4;
      boolean newLine = s.startsWith("\n") || s.startsWith("\r") || lineStart < 0;
      if (newLine && lineStart >= 0) {
        lines.add(new TimedLyrics.Line(lineStart, text.toString().strip(), words));
        words = new ArrayList<>();
        text.setLength(0);
      }
      if (newLine) {
        lineStart = ms;
      }
      String w = s.strip();
      if (!w.isEmpty()) {
        text.append(text.length() == 0 ? "" : " ").append(w);
        if (words.size() < TimedLyrics.MAX_WORDS) {
          words.add(new TimedLyrics.Word(ms, w));
        }
      }
    }
    if (lineStart >= 0) {
      lines.add(new TimedLyrics.Line(lineStart, text.toString().strip(), words));
    }
    return new TimedLyrics("sylt", true, lines, List.of());
  }
}
