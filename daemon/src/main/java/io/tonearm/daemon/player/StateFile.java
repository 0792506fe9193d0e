package io.tonearm.daemon.player;

import io.tonearm.daemon.persist.CrcFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
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
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeLong(s.idCeiling());
      out.writeInt(s.items().size());
      for (SavedItem i : s.items()) {
        out.writeLong(i.id());
        out.writeUTF(i.path());
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
      out.writeDouble(s.replayGainPreampDb());
      out.writeBoolean(s.preventClipping());
      out.writeInt(s.disabledOutputs().size());
      for (String id : s.disabledOutputs()) {
        out.writeUTF(id);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
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
