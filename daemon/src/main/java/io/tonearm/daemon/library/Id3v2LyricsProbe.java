package io.tonearm.daemon.library;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether an MP3 file's ID3v2 tag can hold lyrics, found by walking the tag's frame headers
 * (ID3v2.2, .3 and .4, section 3 and 4 of each) without reading any frame's body: an embedded
 * picture of a megabyte costs one 10-byte read. Lyrics in an ID3v2 tag are a USLT (unsynchronised)
 * or SYLT (synchronised) frame, ULT or SLT in ID3v2.2. It answers "maybe" whenever it is not sure
 * (tag-wide unsynchronisation, an extended header, a frame header that does not parse, a size that
 * runs past the tag, as iTunes's ID3v2.4 tags with plain sizes do), so that the full parse then
 * decides. An MP3 file with no ID3v2 tag at its start has no lyrics tag: jaudiotagger reads ID3v2
 * only there, and ID3v1 has no lyrics field. Stateless; blocking file I/O.
 */
final class Id3v2LyricsProbe {

  private Id3v2LyricsProbe() {}

  /** False only when {@code file} surely holds no USLT or SYLT frame in a leading ID3v2 tag. */
  static boolean mayHoldLyrics(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return mayHoldLyrics(ch);
    } catch (IOException e) {
      return true; // the full parse reports what is wrong
    }
  }

  static boolean mayHoldLyrics(FileChannel ch) throws IOException {
    ByteBuffer h = ByteBuffer.allocate(10);
    if (read(ch, h, 0) < 10 || h.get(0) != 'I' || h.get(1) != 'D' || h.get(2) != '3') {
      return false;
    }
    int version = h.get(3);
    int flags = h.get(5) & 0xFF;
    if (version < 2 || version > 4 || (flags & 0xC0) != 0) {
      return true; // unknown version, unsynchronised tag, extended header or v2.2 compression
    }
    long tagEnd = 10 + syncsafe(h, 6);
    boolean v22 = version == 2;
    int header = v22 ? 6 : 10;
    long at = 10;
    while (at + header <= tagEnd) {
      h.clear().limit(header);
      if (read(ch, h, at) < header) {
        return true;
      }
      if (h.get(0) == 0) {
        return false; // padding: the frames ended without lyrics
      }
      for (int i = 0; i < (v22 ? 3 : 4); i++) {
        byte c = h.get(i);
        if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
          return true;
        }
      }
      String id = new String(new byte[] {h.get(0), h.get(1), h.get(2), v22 ? 0 : h.get(3)}, 0, 4);
      if (v22
          ? id.startsWith("ULT") || id.startsWith("SLT")
          : id.equals("USLT") || id.equals("SYLT")) {
        return true;
      }
      long size;
      if (v22) {
        size = (h.get(3) & 0xFF) << 16 | (h.get(4) & 0xFF) << 8 | h.get(5) & 0xFF;
      } else if (version == 4) {
        if ((h.getInt(4) & 0x80808080) != 0) {
          return true; // not a syncsafe size
        }
        size = syncsafe(h, 4);
      } else {
        size = h.getInt(4) & 0xFFFFFFFFL;
      }
      at += header + size;
      if (at > tagEnd) {
        return true;
      }
    }
    return false;
  }

  private static long syncsafe(ByteBuffer b, int at) {
    return (b.get(at) & 0x7FL) << 21
        | (b.get(at + 1) & 0x7FL) << 14
        | (b.get(at + 2) & 0x7FL) << 7
        | b.get(at + 3) & 0x7FL;
  }

  private static int read(FileChannel ch, ByteBuffer b, long at) throws IOException {
    b.position(0);
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) {
        break;
      }
    }
    return b.position();
  }
}
