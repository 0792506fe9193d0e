package io.tonearm.daemon.player;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The journal beside the state file ({@code player-state.journal}): every acknowledged change is
 * appended as one record before the command's reply, with a plain write (the OS has it: a killed
 * process loses nothing), and forced to disk within a second by {@link #sync}; so is the position
 * every few seconds while playing (forced less often: see {@code Player.savePosition}). Once the
 * state file holds everything journaled, the journal is emptied ({@link #compact}). At start the
 * records are replayed over the state file, in order, up to the first torn or damaged one.
 *
 * <p>A record is {@code int length, byte kind, state bytes, long CRC32 (of kind and state)}; kind
 * {@value #FULL} carries the whole state, kind {@value #MODES} everything but the queue (its items
 * and shuffle order come from the record or state file before it), so that a volume change writes a
 * few hundred bytes whatever the queue's length. Thread-safe.
 */
final class StateJournal implements AutoCloseable {
  static final byte FULL = 1;
  static final byte MODES = 2;

  private final Path file;

  /**
   * Appends go through the stream (one native write of the record, as it sits in its array);
   * forces, sizes and truncation through its channel (the same descriptor). A {@code FileChannel}
   * write of a heap buffer first copies it to a temporary direct buffer and registers the thread
   * for an asynchronous close around the call: on a command's way to its reply, before the reply.
   */
  private final FileOutputStream out;

  private final FileChannel channel;

  /** Records appended since the journal was last emptied, and whether they await a force. */
  private long appended;

  private volatile boolean dirty;

  StateJournal(Path dataDir) throws IOException {
    this.file = dataDir.resolve("player-state.journal");
    Files.createDirectories(dataDir);
    this.out = new FileOutputStream(file.toFile(), true);
    this.channel = out.getChannel();
    this.appended = channel.size() > 0 ? 1 : 0; // old records: not empty until a save holds them
  }

  /** Appends one record (no force). */
  synchronized void append(StateFile.Saved s, boolean withQueue) throws IOException {
    // The body encoded in place between the head (length, kind) and the CRC: one array, no copy.
    byte[] record = StateFile.encode(s, 4 + 1, 8);
    int length = record.length - 4 - 1 - 8;
    put(record, 0, length, 4);
    record[4] = withQueue ? FULL : MODES;
    CRC32 crc = new CRC32();
    crc.update(record, 4, 1 + length);
    put(record, 4 + 1 + length, crc.getValue(), 8);
    out.write(record);
    appended++;
    dirty = true;
  }

  /** Puts the low {@code bytes} bytes of {@code v} at {@code at}, big-endian (as ByteBuffer). */
  private static void put(byte[] to, int at, long v, int bytes) {
    for (int i = 0; i < bytes; i++) {
      to[at + i] = (byte) (v >>> (8 * (bytes - 1 - i)));
    }
  }

  /** Records appended since the journal was last emptied; a save notes it with its snapshot. */
  synchronized long appended() {
    return appended;
  }

  /** Forces what was appended to the disk; any thread. */
  void sync() throws IOException {
    if (dirty) {
      dirty = false;
      channel.force(false);
    }
  }

  /**
   * Empties the journal when nothing was appended since a state file holding {@code upTo} records
   * was written (a later record stays for the next save).
   */
  synchronized void compact(long upTo) throws IOException {
    if (appended == upTo && appended > 0) {
      channel.truncate(0);
      channel.force(false);
      appended = 0;
      dirty = false;
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /**
   * The state file's state with the journal's records applied in order; empty when there is
   * neither. Stops at the first record that is torn (a write cut by the kill) or damaged.
   */
  static Optional<StateFile.Saved> replay(Optional<StateFile.Saved> base, Path dataDir) {
    byte[] all;
    try {
      all = Files.readAllBytes(dataDir.resolve("player-state.journal"));
    } catch (NoSuchFileException e) {
      return base;
    } catch (IOException e) {
      return base;
    }
    Optional<StateFile.Saved> state = base;
    ByteBuffer b = ByteBuffer.wrap(all);
    while (b.remaining() >= 4 + 1 + 8) {
      int len = b.getInt();
      if (len < 0 || len > b.remaining() - 1 - 8) {
        break;
      }
      int at = b.position();
      byte kind = b.get();
      b.position(at + 1 + len);
      long stored = b.getLong();
      CRC32 crc = new CRC32();
      crc.update(all, at, 1 + len);
      if (crc.getValue() != stored || (kind != FULL && kind != MODES)) {
        break;
      }
      Optional<StateFile.Saved> rec = StateFile.decode(all, at + 1, len);
      if (rec.isEmpty()) {
        break;
      }
      state =
          Optional.of(kind == FULL || state.isEmpty() ? rec.get() : merge(state.get(), rec.get()));
    }
    return state;
  }

  /** The modes of {@code modes} over the queue of {@code base}. */
  private static StateFile.Saved merge(StateFile.Saved base, StateFile.Saved modes) {
    return new StateFile.Saved(
        Math.max(base.idCeiling(), modes.idCeiling()),
        new ArrayList<>(base.items()),
        new ArrayList<>(base.shuffleOrder()),
        base.shuffle(),
        modes.currentId(),
        modes.positionMs(),
        modes.volume(),
        modes.muted(),
        modes.repeat(),
        modes.single(),
        modes.consume(),
        modes.replayGainMode(),
        modes.replayGainPreampDb(),
        modes.preventClipping(),
        modes.disabledOutputs());
  }
}
