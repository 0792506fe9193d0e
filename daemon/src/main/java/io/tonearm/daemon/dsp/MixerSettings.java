package io.tonearm.daemon.dsp;

import java.util.Map;

/**
 * What the {@link StemMixer} mixes with: the vocal and instrumental volumes and each stem's gain,
 * mute, solo and pan, by stem name. Immutable; handed to the mixer from any thread.
 *
 * @param vocal linear gain of vocal stems (of the centre band of a stereo track), 0..1
 * @param instrumental linear gain of the other stems (of the rest of a stereo track), 0..1
 * @param stems settings by stem name; a stem without an entry plays at {@link Strip#NEUTRAL}
 */
public record MixerSettings(float vocal, float instrumental, Map<String, Strip> stems) {

  /** Everything at unity: the stems' plain sum, a stereo track untouched. */
  public static final MixerSettings NEUTRAL = new MixerSettings(1f, 1f, Map.of());

  public MixerSettings {
    stems = Map.copyOf(stems);
  }

  /**
   * One stem's channel strip.
   *
   * @param gain linear gain
   * @param mute silences the stem
   * @param solo when any stem of the item is soloed, only soloed stems are heard
   * @param pan -1 (left) .. 0 (centre) .. +1 (right): a balance control, the far side falls
   *     linearly to silence, the near side stays at unity
   */
  public record Strip(float gain, boolean mute, boolean solo, float pan) {
    public static final Strip NEUTRAL = new Strip(1f, false, false, 0f);
  }

  /** The strip of stem {@code name}. */
  public Strip strip(String name) {
    return stems.getOrDefault(name, Strip.NEUTRAL);
  }

  /** True when a stereo track plays untouched: both volumes at unity. */
  public boolean neutralForStereo() {
    return vocal == 1f && instrumental == 1f;
  }
}
