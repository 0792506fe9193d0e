package io.tonearm.daemon.decode;

import java.util.List;

/**
 * The stems of a stem set, in the order a {@link Decoder#readStems} frame holds them, and which of
 * them are vocals (the mixer's "vocal volume" moves those, "instrumental volume" the others).
 * Immutable; any thread.
 *
 * @param names one name per stem, lower case, unique (e.g. "vocals", "drums")
 * @param vocal one flag per stem, true for a vocal stem
 */
public record StemLayout(List<String> names, List<Boolean> vocal) {

  /** The most stems a set may have: 8 stereo stems fill a pipe block with 512 frames. */
  public static final int MAX_STEMS = 8;

  public StemLayout {
    names = List.copyOf(names);
    vocal = List.copyOf(vocal);
    if (names.size() != vocal.size() || names.isEmpty() || names.size() > MAX_STEMS) {
      throw new IllegalArgumentException("a stem set has 1 to " + MAX_STEMS + " stems");
    }
  }

  /** Stems in the set. */
  public int count() {
    return names.size();
  }

  /** True when stem {@code i} is a vocal stem. */
  public boolean isVocal(int i) {
    return vocal.get(i);
  }

  /**
   * The role a stem name implies: vocal when it names a voice ("vocals", "lead_vocal", "vox",
   * "voice", "choir"...), instrumental otherwise.
   */
  public static boolean vocalName(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    return n.contains("vocal")
        || n.contains("vox")
        || n.contains("voice")
        || n.contains("choir")
        || n.contains("sing");
  }
}
