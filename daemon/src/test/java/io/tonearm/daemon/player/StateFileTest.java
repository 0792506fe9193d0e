package io.tonearm.daemon.player;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

  @TempDir Path dir;

  private static StateFile.Saved sample() {
    return new StateFile.Saved(
        2048,
        List.of(new StateFile.SavedItem(5, "/m/a.wav"), new StateFile.SavedItem(9, "/m/b.wav")),
        List.of(9L, 5L),
        true,
        9,
        1234,
        70,
        true,
        2,
        false,
        true,
        1,
        -3.5,
        false,
        List.of("javasound"));
  }

  @Test
  void savedStateLoadsBackEqual() throws Exception {
    StateFile f = new StateFile(dir);
    f.save(sample());
    assertEquals(sample(), new StateFile(dir).load().orElseThrow());
    assertTrue(Files.notExists(dir.resolve("player-state.bin.tmp")));
  }

  @Test
  void aTornOrDamagedFileIsIgnoredNotTrusted() throws Exception {
    StateFile f = new StateFile(dir);
    f.save(sample());
    Path p = dir.resolve("player-state.bin");
    byte[] b = Files.readAllBytes(p);
    b[20] ^= 1;
    Files.write(p, b);
    assertTrue(f.load().isEmpty());
    Files.write(p, new byte[] {1, 2, 3});
    assertTrue(f.load().isEmpty());
  }

  @Test
  void aLeftoverTempFileFromACrashDoesNotMatter() throws Exception {
    StateFile f = new StateFile(dir);
    f.save(sample());
    Files.write(dir.resolve("player-state.bin.tmp"), new byte[] {9, 9}); // killed mid-write
    assertEquals(sample(), f.load().orElseThrow());
    f.save(sample());
    assertEquals(sample(), f.load().orElseThrow());
  }

  @Test
  void theEncodingIsDataOutputStreamsForRandomStates() throws Exception {
    Random r = new Random(13);
    for (int round = 0; round < 3000; round++) {
      List<StateFile.SavedItem> items = new ArrayList<>();
      List<Long> order = new ArrayList<>();
      for (int i = r.nextInt(4) == 0 ? r.nextInt(40) : 0; i > 0; i--) {
        items.add(new StateFile.SavedItem(r.nextLong(), text(r)));
        order.add(r.nextLong());
      }
      List<String> disabled = new ArrayList<>();
      for (int i = r.nextInt(3); i > 0; i--) {
        disabled.add(text(r));
      }
      StateFile.Saved s =
          new StateFile.Saved(
              r.nextLong(),
              items,
              order,
              r.nextBoolean(),
              r.nextLong(),
              r.nextLong(),
              r.nextInt(),
              r.nextBoolean(),
              r.nextInt(),
              r.nextBoolean(),
              r.nextBoolean(),
              r.nextInt(),
              r.nextInt(8) == 0 ? Double.NaN : r.nextGaussian() * 20,
              r.nextBoolean(),
              disabled);
      byte[] expected = reference(s);
      assertArrayEquals(expected, StateFile.encode(s), "round " + round);
      int before = r.nextInt(9);
      int after = r.nextInt(9);
      byte[] framed = StateFile.encode(s, before, after);
      assertEquals(before + expected.length + after, framed.length);
      assertArrayEquals(expected, Arrays.copyOfRange(framed, before, before + expected.length));
      assertEquals(s, StateFile.decode(framed, before, expected.length).orElseThrow());
    }
  }

  /** Paths of ASCII, NUL, two- and three-byte chars and surrogate pairs (each half on its own). */
  private static String text(Random r) {
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(60); i > 0; i--) {
      switch (r.nextInt(6)) {
        case 0 -> b.append((char) 0);
        case 1 -> b.append((char) (0x80 + r.nextInt(0x800 - 0x80)));
        case 2 -> b.append((char) (0x800 + r.nextInt(0xD800 - 0x800)));
        case 3 -> b.appendCodePoint(0x10000 + r.nextInt(0x100000));
        default -> b.append((char) (1 + r.nextInt(0x7F)));
      }
    }
    return b.toString();
  }

  /** The state file's encoding as it was written with a DataOutputStream (format version 1). */
  private static byte[] reference(StateFile.Saved s) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(0x544e524d);
      out.writeInt(1);
      out.writeLong(s.idCeiling());
      out.writeInt(s.items().size());
      for (StateFile.SavedItem i : s.items()) {
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
    }
    return bytes.toByteArray();
  }

  @Test
  void aStringOverTheUtfLimitIsRefusedAsBefore() {
    String tooLong = "\u0800".repeat(21_846); // 65,538 bytes
    StateFile.Saved s = StateFileCrashTest.state(1, tooLong);
    org.junit.jupiter.api.Assertions.assertThrows(
        java.io.UncheckedIOException.class, () -> StateFile.encode(s));
  }
}
