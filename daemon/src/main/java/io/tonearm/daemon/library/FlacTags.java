package io.tonearm.daemon.library;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a FLAC file's metadata blocks (FLAC format: STREAMINFO, VORBIS_COMMENT, PICTURE) in one
 * open and one read of the file's head, giving exactly the track jaudiotagger 3.0.1 gives for the
 * same file: its length from STREAMINFO's sample count as a float, its bit rate from the bytes
 * after the last metadata block, the first value of each Vorbis comment name upper-cased, its album
 * artist falling back to "ALBUM ARTIST", and the first PICTURE block's image.
 *
 * <p>A VORBIS_COMMENT or PICTURE block whose lengths point past its end, where jaudiotagger fails
 * the file (after allocating what the length claims, up to 2 GiB), is an error here too, with a
 * one-line reason. For the rest of what is not a plain file {@link #read} returns null and the
 * caller reads the file with jaudiotagger, which gives its track or its error: an ID3v2 tag before
 * "fLaC", a block past the end of the file, an invalid block type, a second STREAMINFO or
 * VORBIS_COMMENT, a STREAMINFO not 34 bytes long, a file of 100 bytes or less, one that cannot be
 * opened. Stateless and thread-safe; blocking file I/O.
 */
final class FlacTags {
  /** How much of the file's head one read takes; metadata past it is read block by block. */
  private static final int HEAD = 16 * 1024;

  /** jaudiotagger's size at or below which a file is not audio. */
  private static final int MIN_FILE = 100;

  /** jaudiotagger's number of picture types (ID3v2 APIC's 0-20). */
  private static final int PICTURE_TYPES = 21;

  /** jaudiotagger's largest Vorbis comment; a longer one ends the comment list. */
  private static final int MAX_COMMENT = 10_000_000;

  private static final int STREAMINFO = 0;
  private static final int VORBIS_COMMENT = 4;
  private static final int PICTURE = 6;
  private static final int LAST_BLOCK_TYPE = 6;

  /** The Vorbis comment names {@link TagReader#fields} asks for, upper-case. */
  private static final java.util.Set<String> WANTED =
      java.util.Set.of(
          "TITLE",
          "ARTIST",
          "ALBUM",
          "ALBUMARTIST",
          "ALBUM ARTIST",
          "TRACKNUMBER",
          "TRACKTOTAL",
          "DISCNUMBER",
          "DISCTOTAL",
          "DATE",
          "GENRE",
          "MUSICBRAINZ_TRACKID",
          "MUSICBRAINZ_RELEASETRACKID",
          "MUSICBRAINZ_ALBUMID",
          "MUSICBRAINZ_ARTISTID",
          "MUSICBRAINZ_ALBUMARTISTID",
          "LYRICS",
          "REPLAYGAIN_TRACK_GAIN",
          "REPLAYGAIN_TRACK_PEAK",
          "REPLAYGAIN_ALBUM_GAIN",
          "REPLAYGAIN_ALBUM_PEAK",
          "MIXRAMP_START",
          "MIXRAMP_END",
          "R128_TRACK_GAIN",
          "R128_ALBUM_GAIN");

  private FlacTags() {}

  /**
   * Reads {@code file}; null when it is not a plain FLAC file (see the class comment), including
   * when it cannot be opened.
   *
   * @throws IOException when reading a file that opened fails
   */
  static TrackTags read(Path file, String fallbackTitle) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(file);
    } catch (IOException | SecurityException e) {
      return null; // jaudiotagger words the reason
    }
    try (ch) {
      return read(ch, fallbackTitle);
    }
  }

  /** Reads the file open on {@code ch} (not closed here); see {@link #read(Path, String)}. */
  static TrackTags read(FileChannel ch, String fallbackTitle) throws IOException {
    long size = ch.size();
    if (size <= MIN_FILE) {
      return null;
    }
    Head head = new Head(ch, size);
    if (head.u8(0) != 'f' || head.u8(1) != 'L' || head.u8(2) != 'a' || head.u8(3) != 'C') {
      return null;
    }
    TagFields f = new TagFields();
    Comments comments = null;
    boolean streamInfo = false;
    float seconds = 0;
    boolean pictureTaken = false;
    long pos = 4;
    boolean last = false;
    while (!last) {
      if (pos + 4 > size) {
        return null;
      }
      int b0 = head.u8(pos);
      int type = b0 & 0x7f;
      last = (b0 & 0x80) != 0;
      int length = (head.u8(pos + 1) << 16) | (head.u8(pos + 2) << 8) | head.u8(pos + 3);
      long data = pos + 4;
      if (type > LAST_BLOCK_TYPE || data + length > size) {
        return null;
      }
      if (type == STREAMINFO) {
        if (streamInfo || length != 34) {
          return null;
        }
        streamInfo = true;
        seconds = streamInfo(head.bytes(data, 34), f);
      } else if (type == VORBIS_COMMENT) {
        if (comments != null) {
          return null;
        }
        comments = Comments.parse(head.bytes(data, length));
      } else if (type == PICTURE) {
        Picture p = picture(head, data, length, !pictureTaken);
        if (p != IGNORED && !pictureTaken) {
          pictureTaken = true;
          // jaudiotagger's first artwork; a linked one ("-->") has no image, hence no picture
          f.picture = p.image;
        }
      }
      pos = data + length;
    }
    if (!streamInfo) {
      return null;
    }
    // jaudiotagger's bit rate: (audio bytes / 1000 * 8) / seconds in float, as an int, then
    // clamped at 0 by TagReader; its length: the float widened, in ms when finite and positive.
    f.bitRateKbps = Math.max(0, (int) (((size - pos) / 1000) * 8 / seconds));
    double secs = seconds;
    f.durationMs = Double.isFinite(secs) && secs > 0 ? Math.round(secs * 1000) : 0;
    f.codec = "flac";
    TagReader.fields(comments == null ? new Comments(Map.of()) : comments, f);
    return f.build(fallbackTitle);
  }

  /**
   * STREAMINFO's rate, channels and bits per sample into {@code f}; returns its length in seconds
   * as jaudiotagger computes it: the 36-bit sample count read into an int (its top nibble added
   * unshifted, as an int shift by 32 does), divided by the rate as a double, kept as a float.
   */
  private static float streamInfo(byte[] s, TagFields f) {
    int rate = (u(s[10]) << 12) + (u(s[11]) << 4) + ((u(s[12]) & 0xF0) >>> 4);
    int channels = ((u(s[12]) & 0x0E) >>> 1) + 1;
    int samples = u(s[17]);
    samples += u(s[16]) << 8;
    samples += u(s[15]) << 16;
    samples += u(s[14]) << 24;
    samples += u(s[13]) & 0x0F;
    f.sampleRate = rate;
    f.channels = channels;
    f.bitsPerSample = (((u(s[12]) & 0x01) << 4) | (u(s[13]) >>> 4)) + 1;
    return (float) ((double) samples / rate);
  }

  private static int u(byte b) {
    return b & 0xff;
  }

  /**
   * A PICTURE block parsed as jaudiotagger parses it: {@link #IGNORED} where jaudiotagger skips the
   * block (empty, a picture type past 20, a negative string length, an image longer than the
   * block), an error where it fails the whole file (a length past the block, which it would first
   * allocate: up to 2 GiB).
   */
  private static Picture picture(Head head, long data, int length, boolean wantImage)
      throws IOException {
    if (length == 0) {
      return IGNORED;
    }
    // The fixed fields from the block's first 8 KiB; strings longer than that re-read the block.
    byte[] b = head.bytes(data, Math.min(length, 8 * 1024));
    ByteBuffer p = ByteBuffer.wrap(b);
    int type = int32(p, length);
    if (type >= PICTURE_TYPES) {
      return IGNORED;
    }
    int mimeLength = int32(p, length);
    if (mimeLength < 0) {
      return IGNORED;
    }
    need(p, length, mimeLength);
    if (p.position() + mimeLength > b.length) {
      b = head.bytes(data, length);
      p = ByteBuffer.wrap(b).position(p.position());
    }
    String mime = new String(b, p.position(), mimeLength, StandardCharsets.ISO_8859_1);
    p.position(p.position() + mimeLength);
    int descLength = int32(p, length);
    if (descLength < 0) {
      return IGNORED;
    }
    need(p, length, descLength);
    need(p, length, descLength + 20L);
    if (p.position() + descLength + 20 > b.length) {
      b = head.bytes(data, length);
      p = ByteBuffer.wrap(b).position(p.position());
    }
    p.position(p.position() + descLength + 16);
    int imageLength = p.getInt();
    long imageAt = p.position();
    if (imageLength > length - imageAt) {
      return IGNORED;
    }
    if (imageLength < 0) {
      throw malformed("PICTURE");
    }
    if (!wantImage || mime.equals("-->") || imageLength == 0) {
      return new Picture(null); // a link ("-->") or an empty image: no picture
    }
    return new Picture(new TrackTags.Picture(head.bytes(data + imageAt, imageLength), mime));
  }

  /** The next big-endian int of a block of {@code length} bytes; an error past its end. */
  private static int int32(ByteBuffer p, int length) throws IOException {
    need(p, length, 4);
    return p.getInt();
  }

  private static void need(ByteBuffer p, int length, long n) throws IOException {
    if (n > length - p.position()) {
      throw malformed("PICTURE");
    }
  }

  private static IOException malformed(String block) {
    return new IOException("unreadable flac file: malformed " + block + " block");
  }

  /** What a PICTURE block gives; {@code image} null when it gives no picture. */
  private record Picture(TrackTags.Picture image) {}

  /** A PICTURE block jaudiotagger skips. */
  private static final Picture IGNORED = new Picture(null);

  /**
   * The first value of each wanted Vorbis comment name, as jaudiotagger's reader keeps them: the
   * whole comment decoded as UTF-8, the name before its first '=' upper-cased in the default
   * locale.
   */
  private record Comments(Map<String, String> first) implements TagSource {
    /**
     * Parses a VORBIS_COMMENT block as jaudiotagger does: a comment longer than the rest of the
     * block or than 10,000,000 bytes ends the list; a length field past the block's end or a
     * negative length is an error (jaudiotagger would first allocate the vendor string: up to 2
     * GiB).
     */
    static Comments parse(byte[] raw) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
      if (raw.length < 4) {
        throw malformed("VORBIS_COMMENT");
      }
      int vendor = b.getInt(0);
      if (vendor < 0 || vendor > raw.length - 8) {
        throw malformed("VORBIS_COMMENT");
      }
      int pos = 4 + vendor;
      int count = b.getInt(pos);
      pos += 4;
      Map<String, String> first = new HashMap<>();
      for (int i = 0; i < count; i++) {
        if (pos + 4 > raw.length) {
          throw malformed("VORBIS_COMMENT");
        }
        int length = b.getInt(pos);
        pos += 4;
        if (length > MAX_COMMENT || length > raw.length - pos) {
          break;
        }
        if (length < 0) {
          throw malformed("VORBIS_COMMENT");
        }
        comment(raw, pos, length, first);
        pos += length;
      }
      return new Comments(first);
    }

    private static void comment(byte[] raw, int at, int length, Map<String, String> first) {
      int eq = -1;
      boolean ascii = true;
      for (int k = at; k < at + length; k++) {
        if (raw[k] == '=') {
          eq = k - at;
          break;
        }
        ascii &= raw[k] >= 0;
      }
      if (eq < 0) {
        return; // jaudiotagger files it under "ERRONEOUS", a name nothing asks for
      }
      String name;
      String value = null;
      if (ascii) {
        // An ASCII name ends the UTF-8 decoder's state at the '=': decoding the parts apart
        // gives what decoding the whole comment gives.
        name = new String(raw, at, eq, StandardCharsets.US_ASCII);
      } else {
        String whole = new String(raw, at, length, StandardCharsets.UTF_8);
        int cut = whole.indexOf('=');
        name = whole.substring(0, cut);
        value = whole.substring(cut + 1);
      }
      name = name.toUpperCase(Locale.getDefault()); // as jaudiotagger's String.toUpperCase()
      if (!WANTED.contains(name) || first.containsKey(name)) {
        return;
      }
      if (value == null) {
        value = new String(raw, at + eq + 1, length - eq - 1, StandardCharsets.UTF_8);
      }
      first.put(name, value);
    }

    @Override
    public String first(Key key) {
      if (key == Key.ALBUM_ARTIST) {
        // jaudiotagger's default: ALBUMARTIST, then JRiver's "ALBUM ARTIST" when that is empty
        String v = first.getOrDefault("ALBUMARTIST", "");
        return v.isEmpty() ? first.getOrDefault("ALBUM ARTIST", "") : v;
      }
      return first.getOrDefault(name(key), "");
    }

    @Override
    public String custom(String name) {
      return first.getOrDefault(name, "");
    }

    private static String name(Key key) {
      return switch (key) {
        case TITLE -> "TITLE";
        case ARTIST -> "ARTIST";
        case ALBUM -> "ALBUM";
        case ALBUM_ARTIST -> "ALBUMARTIST";
        case TRACK -> "TRACKNUMBER";
        case TRACK_TOTAL -> "TRACKTOTAL";
        case DISC_NO -> "DISCNUMBER";
        case DISC_TOTAL -> "DISCTOTAL";
        case YEAR -> "DATE";
        case GENRE -> "GENRE";
        case MUSICBRAINZ_TRACK_ID -> "MUSICBRAINZ_TRACKID";
        case MUSICBRAINZ_RELEASE_TRACK_ID -> "MUSICBRAINZ_RELEASETRACKID";
        case MUSICBRAINZ_RELEASEID -> "MUSICBRAINZ_ALBUMID";
        case MUSICBRAINZ_ARTISTID -> "MUSICBRAINZ_ARTISTID";
        case MUSICBRAINZ_RELEASEARTISTID -> "MUSICBRAINZ_ALBUMARTISTID";
        case LYRICS -> "LYRICS";
      };
    }
  }

  /** The file's first {@value #HEAD} bytes, read once; bytes past them read where asked. */
  private static final class Head {
    private final FileChannel ch;
    private final byte[] head;
    private final int held;

    /**
     * One buffer per reading thread, reused file after file: a scan reads thousands of heads, and a
     * fresh 16 KiB array each was most of what the scan allocated. A head lives inside one {@link
     * FlacTags#read} call and reads only below {@link #held}, the bytes this file's read put there
     * (below them lie the last file's bytes when this one is shorter than its size said).
     */
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[HEAD]);

    Head(FileChannel ch, long size) throws IOException {
      this.ch = ch;
      this.head = BUFFER.get();
      this.held = fill(ch, ByteBuffer.wrap(head, 0, (int) Math.min(HEAD, size)), 0);
    }

    int u8(long at) throws IOException {
      if (at < held) {
        return head[(int) at] & 0xff;
      }
      return bytes(at, 1)[0] & 0xff;
    }

    /** {@code n} bytes from {@code at}, which the caller checked lie inside the file. */
    byte[] bytes(long at, int n) throws IOException {
      byte[] out = new byte[n];
      if (at + n <= held) {
        System.arraycopy(head, (int) at, out, 0, n);
        return out;
      }
      int fromHead = at < held ? (int) (held - at) : 0;
      if (fromHead > 0) {
        System.arraycopy(head, (int) at, out, 0, fromHead);
      }
      ByteBuffer rest = ByteBuffer.wrap(out, fromHead, n - fromHead);
      if (fill(ch, rest, at + fromHead) < n - fromHead) {
        throw new IOException("FLAC file shrank while being read");
      }
      return out;
    }

    private static int fill(FileChannel ch, ByteBuffer b, long at) throws IOException {
      int total = 0;
      while (b.hasRemaining()) {
        int n = ch.read(b, at + total);
        if (n < 0) {
          break;
        }
        total += n;
      }
      return total;
    }
  }
}
