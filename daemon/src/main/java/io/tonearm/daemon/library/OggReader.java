package io.tonearm.daemon.library;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Reads Ogg Opus (which jaudiotagger 3.0.1 does not know) and Ogg Vorbis (which it reads 20 times
 * slower than this): the two header packets (RFC 7845 sections 5.1-5.2; Vorbis I spec section 4.2)
 * and the last page's granule position for the duration.
 */
final class OggReader {
  /** Largest OpusTags packet read (it may hold pictures); bigger ones are an error. */
  static final int MAX_TAGS_PACKET = 16 * 1024 * 1024;

  private static final int OPUS_RATE = 48_000;

  /**
   * Recently decoded pictures by (length, CRC32C) of their base64 text: every track of an album
   * usually embeds the same cover, and decoding it is most of the cost of reading a tagged Ogg
   * file. At most {@value #DECODED_CACHE_SIZE} pictures of up to 2 MiB; cleared when full.
   */
  private static final java.util.Map<Long, byte[]> DECODED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final int DECODED_CACHE_SIZE = 32;

  private OggReader() {}

  /** Reads an Ogg Vorbis file. */
  static TrackTags readVorbis(Path file, String fallbackTitle) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      PacketReader packets = new PacketReader(in);
      byte[] id = packets.next(64 * 1024);
      if (id == null || id.length < 30 || id[0] != 1 || !ascii(id, 1, 6).equals("vorbis")) {
        throw new IOException("not an Ogg Vorbis file: no identification header");
      }
      ByteBuffer h = ByteBuffer.wrap(id).order(ByteOrder.LITTLE_ENDIAN);
      TagFields f = new TagFields();
      f.codec = "vorbis";
      f.channels = id[11] & 0xff;
      f.sampleRate = h.getInt(12);
      if (f.sampleRate <= 0 || f.channels == 0) {
        throw new IOException("not an Ogg Vorbis file: bad identification header");
      }
      byte[] tags = packets.next(MAX_TAGS_PACKET);
      if (tags == null || tags.length < 15 || tags[0] != 3 || !ascii(tags, 1, 6).equals("vorbis")) {
        throw new IOException("not an Ogg Vorbis file: no comment header");
      }
      comments(ByteBuffer.wrap(tags, 7, tags.length - 7).order(ByteOrder.LITTLE_ENDIAN), f);
      long granule = lastGranule(in);
      if (granule > 0) {
        f.durationMs = granule * 1000 / f.sampleRate;
        f.bitRateKbps = f.durationMs > 0 ? (int) (in.length() * 8 / f.durationMs) : 0;
      }
      return f.build(fallbackTitle);
    }
  }

  /** Reads an Ogg Opus file. */
  static TrackTags read(Path file, String fallbackTitle) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      PacketReader packets = new PacketReader(in);
      byte[] head = packets.next(64 * 1024);
      if (head == null || head.length < 19 || !ascii(head, 0, 8).equals("OpusHead")) {
        throw new IOException("not an Ogg Opus file: no OpusHead");
      }
      ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
      TagFields f = new TagFields();
      f.codec = "opus";
      f.channels = head[9] & 0xff;
      int preSkip = h.getShort(10) & 0xffff;
      f.sampleRate = OPUS_RATE;
      byte[] tags = packets.next(MAX_TAGS_PACKET);
      if (tags == null || tags.length < 16 || !ascii(tags, 0, 8).equals("OpusTags")) {
        throw new IOException("not an Ogg Opus file: no OpusTags");
      }
      comments(ByteBuffer.wrap(tags, 8, tags.length - 8).order(ByteOrder.LITTLE_ENDIAN), f);
      long granule = lastGranule(in);
      long length = in.length();
      if (granule > preSkip) {
        f.durationMs = (granule - preSkip) * 1000 / OPUS_RATE;
        f.bitRateKbps = f.durationMs > 0 ? (int) (length * 8 / f.durationMs) : 0;
      }
      return f.build(fallbackTitle);
    }
  }

  /** Parses a Vorbis comment block (vendor, count, NAME=value...) into {@code f}. */
  static void comments(ByteBuffer b, TagFields f) throws IOException {
    try {
      int vendorLength = b.getInt();
      b.position(b.position() + checkLength(vendorLength, b));
      int count = b.getInt();
      for (int i = 0; i < count && b.remaining() >= 4; i++) {
        int len = checkLength(b.getInt(), b);
        int start = b.arrayOffset() + b.position();
        b.position(b.position() + len);
        int eq = -1;
        for (int k = 0; k < len && k < 64; k++) {
          if (b.array()[start + k] == '=') {
            eq = k;
            break;
          }
        }
        if (eq <= 0) {
          continue;
        }
        String name = new String(b.array(), start, eq, StandardCharsets.US_ASCII);
        int valueStart = start + eq + 1;
        int valueLength = len - eq - 1;
        // Pictures are decoded straight from the bytes: they can be megabytes of base64.
        if (name.equalsIgnoreCase("METADATA_BLOCK_PICTURE") || name.equalsIgnoreCase("COVERART")) {
          if (f.picture == null) {
            byte[] raw = base64(b.array(), valueStart, valueLength);
            f.picture =
                raw == null
                    ? null
                    : name.equalsIgnoreCase("COVERART")
                        ? new TrackTags.Picture(raw, "")
                        : flacPicture(raw);
          }
        } else if (valueLength <= TagFields.MAX_LYRICS * 4) {
          f.vorbis(name, new String(b.array(), valueStart, valueLength, StandardCharsets.UTF_8));
        }
      }
    } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
      throw new IOException("malformed Vorbis comment block", e);
    }
  }

  private static int checkLength(int len, ByteBuffer b) throws IOException {
    if (len < 0 || len > b.remaining()) {
      throw new IOException("malformed Vorbis comment block: length " + len);
    }
    return len;
  }

  private static byte[] base64(byte[] b, int off, int len) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(b, off, len);
    long key = ((long) len << 32) ^ crc.getValue();
    byte[] cached = DECODED.get(key);
    if (cached != null) {
      return cached;
    }
    try {
      byte[] raw = Base64.getMimeDecoder().decode(ByteBuffer.wrap(b, off, len)).array();
      if (raw.length <= 2 * 1024 * 1024) {
        if (DECODED.size() >= DECODED_CACHE_SIZE) {
          DECODED.clear();
        }
        DECODED.put(key, raw);
      }
      return raw;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A FLAC PICTURE block (decoded METADATA_BLOCK_PICTURE); null when malformed. */
  private static TrackTags.Picture flacPicture(byte[] block) {
    try {
      ByteBuffer p = ByteBuffer.wrap(block);
      p.getInt(); // picture type
      byte[] mime = new byte[p.getInt()];
      p.get(mime);
      int descLength = p.getInt();
      p.position(p.position() + descLength + 16);
      byte[] data = new byte[p.getInt()];
      p.get(data);
      return new TrackTags.Picture(data, new String(mime, StandardCharsets.US_ASCII));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Granule position of the last page, from the file's last 64 KiB; -1 when none is found. */
  private static long lastGranule(RandomAccessFile in) throws IOException {
    long length = in.length();
    int n = (int) Math.min(length, 65_536);
    byte[] tail = new byte[n];
    in.seek(length - n);
    in.readFully(tail);
    for (int i = n - 27; i >= 0; i--) {
      if (tail[i] == 'O' && tail[i + 1] == 'g' && tail[i + 2] == 'g' && tail[i + 3] == 'S') {
        long g = ByteBuffer.wrap(tail, i + 6, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (g >= 0) {
          return g;
        }
      }
    }
    return -1;
  }

  private static String ascii(byte[] b, int off, int len) {
    return new String(b, off, Math.min(len, b.length - off), StandardCharsets.US_ASCII);
  }

  /** Reassembles Ogg packets of the first logical stream from consecutive pages. */
  private static final class PacketReader {
    private final RandomAccessFile in;
    private final byte[] header = new byte[27];
    private final byte[] lacing = new byte[255];
    private final byte[] payload = new byte[65_025];
    private int payloadPos;
    private int segCount;
    private int segIndex;

    PacketReader(RandomAccessFile in) {
      this.in = in;
    }

    /** The next packet, at most {@code max} bytes; null at end of file. */
    byte[] next(int max) throws IOException {
      ByteArrayOutputStream packet = new ByteArrayOutputStream();
      while (true) {
        if (segIndex == segCount && !nextPage()) {
          return packet.size() == 0 ? null : packet.toByteArray();
        }
        while (segIndex < segCount) {
          int len = lacing[segIndex++] & 0xff;
          if (packet.size() + len > max) {
            throw new IOException("Ogg packet larger than " + max + " bytes");
          }
          packet.write(payload, payloadPos, len);
          payloadPos += len;
          if (len < 255) {
            return packet.toByteArray();
          }
        }
      }
    }

    private boolean nextPage() throws IOException {
      if (in.getFilePointer() + 27 > in.length()) {
        return false;
      }
      in.readFully(header);
      if (header[0] != 'O' || header[1] != 'g' || header[2] != 'g' || header[3] != 'S') {
        throw new IOException("Ogg page sync lost at " + (in.getFilePointer() - 27));
      }
      segCount = header[26] & 0xff;
      in.readFully(lacing, 0, segCount);
      int size = 0;
      for (int i = 0; i < segCount; i++) {
        size += lacing[i] & 0xff;
      }
      in.readFully(payload, 0, size);
      payloadPos = 0;
      segIndex = 0;
      return true;
    }
  }
}
