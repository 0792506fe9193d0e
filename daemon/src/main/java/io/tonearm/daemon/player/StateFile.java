package io.tonearm.daemon.player;

import io.tonearm.daemon.persist.CrcFile;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The player's saved state, {@code player-state.bin} in the data dir. Written crash-safely: to a
 * temporary file, forced to disk, renamed over the old one atomically, then the directory forced; a
 * kill at any moment leaves either the old or the new file whole. A CRC32 at the end rejects a torn
 * or foreign file (which is then ignored, not trusted).
 */
final class StateFile {

  private static final int MAGIC = 0x544e524d; // "TNRM"
  private static final int VERSION = 1;

  /** One saved queue entry: its id and the real path of its file. */
  record SavedItem(long id, String path) {}

  /** Everything restored at start. */
  record Saved(
      long idCeiling,
      List<SavedItem> items,
      List<Long> shuffleOrder,
      boolean shuffle,
      long currentId,
      long positionMs,
      int volume,
      boolean muted,
      int repeat,
      boolean single,
      boolean consume,
      int replayGainMode,
      double replayGainPreampDb,
      boolean preventClipping,
      List<String> disabledOutputs) {}

  private final Path file;

  StateFile(Path dataDir) {
    this.file = dataDir.resolve("player-state.bin");
  }

  Path path() {
    return file;
  }

  /** The state's bytes, without the CRC: the file's body and a journal record's. */
  static byte[] encode(Saved s) {
    return encode(s, 0, 0);
  }

  /**
   * {@link #encode(Saved)}'s bytes at index {@code before} of an array with {@code after} bytes
   * free behind them: a journal record's head and CRC go around the body without a copy.
   */
  static byte[] encode(Saved s, int before, int after) {
    Out out = new Out(before, 96 + 64 * (s.items().size() + s.disabledOutputs().size()));
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeLong(s.idCeiling());
    out.writeInt(s.items().size());
    for (SavedItem i : s.items()) {
      out.writeLong(i.id());
      out.writeUtf(i.path());
    }
    out.writeInt(s.shuffleOrder().size());
    for (long id : s.shuffleOrder()) {
      out.writeLong(id);
    }
    out.writeBoolean(s.shuffle());
    out.writeLong(s.currentId());
    out.writeLong(s.positionMs());
    out.writeInt(s.volume());
    out.writeBoolean(s.muted());
    out.writeInt(s.repeat());
    out.writeBoolean(s.single());
    out.writeBoolean(s.consume());
    out.writeInt(s.replayGainMode());
    out.writeLong(Double.doubleToLongBits(s.replayGainPreampDb()));
    out.writeBoolean(s.preventClipping());
    out.writeInt(s.disabledOutputs().size());
    for (String id : s.disabledOutputs()) {
      out.writeUtf(id);
    }
    return out.array(after);
  }

  /**
   * {@code DataOutputStream}'s encoding (big-endian numbers, modified UTF-8 strings with a 2-byte
   * length) into one growing array. The stream over a {@code ByteArrayOutputStream} took a lock per
   * byte, a cost on every command's way to its reply (the journal's record is written before it).
   */
  private static final class Out {
    private byte[] buf;
    private int n;

    Out(int at, int capacity) {
      buf = new byte[at + capacity];
      n = at;
    }

    private void room(int bytes) {
      if (n + bytes > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(n + bytes, 2 * buf.length));
      }
    }

    void writeBoolean(boolean v) {
      room(1);
      buf[n++] = (byte) (v ? 1 : 0);
    }

    void writeInt(int v) {
      room(4);
      for (int shift = 24; shift >= 0; shift -= 8) {
        buf[n++] = (byte) (v >>> shift);
      }
    }

    void writeLong(long v) {
      room(8);
      for (int shift = 56; shift >= 0; shift -= 8) {
        buf[n++] = (byte) (v >>> shift);
      }
    }

    /**
     * {@code DataOutputStream.writeUTF}: NUL and chars from U+0080 in 2 bytes, from U+0800 in 3.
     */
    void writeUtf(String str) {
      int length = str.length();
      int bytes = length;
      for (int i = 0; i < length; i++) {
        char c = str.charAt(i);
        if (c >= 0x80 || c == 0) {
          bytes += c >= 0x800 ? 2 : 1;
        }
      }
      if (bytes > 65535) {
        throw new java.io.UncheckedIOException(
            new java.io.UTFDataFormatException("encoded string too long: " + bytes + " bytes"));
      }
      room(2 + bytes);
      buf[n++] = (byte) (bytes >>> 8);
      buf[n++] = (byte) bytes;
      for (int i = 0; i < length; i++) {
        char c = str.charAt(i);
        if (c < 0x80 && c != 0) {
          buf[n++] = (byte) c;
        } else if (c >= 0x800) {
          buf[n++] = (byte) (0xE0 | (c >> 12) & 0x0F);
          buf[n++] = (byte) (0x80 | (c >> 6) & 0x3F);
          buf[n++] = (byte) (0x80 | c & 0x3F);
        } else {
          buf[n++] = (byte) (0xC0 | (c >> 6) & 0x1F);
          buf[n++] = (byte) (0x80 | c & 0x3F);
        }
      }
    }

    /** The bytes written, and {@code after} free bytes behind them. */
    byte[] array(int after) {
      return n + after == buf.length ? buf : java.util.Arrays.copyOf(buf, n + after);
    }
  }

  void save(Saved s) throws IOException {
    CrcFile.write(file, encode(s));
  }

  /** The saved state, or empty when there is none or it is damaged. */
  Optional<Saved> load() {
    return CrcFile.read(file, 8).flatMap(body -> decode(body, 0, body.length));
  }

  /** The state in {@code length} bytes at {@code offset} (as {@link #encode} made them). */
  static Optional<Saved> decode(byte[] all, int offset, int length) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, offset, length))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION) {
        return Optional.empty();
      }
      long ceiling = in.readLong();
      int n = in.readInt();
      List<SavedItem> items = new ArrayList<>(Math.min(n, PlayQueue.MAX_LENGTH));
      for (int i = 0; i < n; i++) {
        items.add(new SavedItem(in.readLong(), in.readUTF()));
      }
      int m = in.readInt();
      List<Long> order = new ArrayList<>(Math.min(m, PlayQueue.MAX_LENGTH));
      for (int i = 0; i < m; i++) {
        order.add(in.readLong());
      }
      boolean shuffle = in.readBoolean();
      long currentId = in.readLong();
      long positionMs = in.readLong();
      int volume = in.readInt();
      boolean muted = in.readBoolean();
      int repeat = in.readInt();
      boolean single = in.readBoolean();
      boolean consume = in.readBoolean();
      int rgMode = in.readInt();
      double preamp = in.readDouble();
      boolean preventClipping = in.readBoolean();
      int d = in.readInt();
      List<String> disabled = new ArrayList<>(Math.min(d, 64));
      for (int i = 0; i < d; i++) {
        disabled.add(in.readUTF());
      }
      return Optional.of(
          new Saved(
              ceiling,
              items,
              order,
              shuffle,
              currentId,
              positionMs,
              volume,
              muted,
              repeat,
              single,
              consume,
              rgMode,
              preamp,
              preventClipping,
              disabled));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
