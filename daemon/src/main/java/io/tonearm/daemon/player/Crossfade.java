package io.tonearm.daemon.player;

import io.tonearm.daemon.audio.Transition;
import io.tonearm.daemon.decode.AudioFormat;

/**
 * How one item joins the next, with MPD's semantics: a crossfade of {@code seconds} between items
 * of one format, both at least {@link #MIN_ITEM_SECONDS} and longer than the fade; with MixRamp on
 * ({@code mixrampDelaySeconds > 0}) and both items tagged, an overlap at full level of the time the
 * outgoing item's end and the incoming item's start stay below {@code mixrampDb} (each shifted by
 * the item's ReplayGain), less the delay, and no overlap at all when that is negative. Adjacent
 * tracks of one album (same album id and disc, next track number) stay gapless when {@code
 * gaplessAlbums}. Immutable.
 *
 * @param seconds crossfade length, 0 (off) to {@link Transition#MAX_OVERLAP_SECONDS}
 * @param mixrampDb MixRamp threshold in dBFS, -96 to 0
 * @param mixrampDelaySeconds MixRamp delay in seconds, up to 30; 0 or less turns MixRamp off (MPD's
 *     "nan")
 * @param gaplessAlbums true to never overlap adjacent tracks of one album
 */
public record Crossfade(
    double seconds, double mixrampDb, double mixrampDelaySeconds, boolean gaplessAlbums) {

  /** Off: every join gapless; MPD's MixRamp defaults (0 dB, off). */
  public static final Crossfade OFF = new Crossfade(0, 0, -1, true);

  /** Items shorter than this never overlap (as MPD). */
  static final double MIN_ITEM_SECONDS = 20;

  /** How {@code from} (played with linear gain {@code fromGain}) joins {@code to}. */
  Transition between(QueueEntry from, float fromGain, QueueEntry to, float toGain) {
    if (seconds <= 0 || from.format == null || to.format == null) {
      return Transition.GAPLESS;
    }
    AudioFormat a = from.format;
    AudioFormat b = to.format;
    double lengthA = a.frames() < 0 ? -1 : (double) a.frames() / a.sampleRate();
    double lengthB = b.frames() < 0 ? -1 : (double) b.frames() / b.sampleRate();
    if (a.sampleRate() != b.sampleRate()
        || a.channels() != b.channels()
        || lengthA < MIN_ITEM_SECONDS
        || lengthB < MIN_ITEM_SECONDS
        || seconds >= lengthA
        || seconds >= lengthB
        || (gaplessAlbums && sameAlbumNext(from, to))) {
      return Transition.GAPLESS;
    }
    if (mixrampDelaySeconds <= 0 || from.track == null || to.track == null) {
      return new Transition(seconds, true);
    }
    String end = from.track.mixrampEnd();
    String start = to.track.mixrampStart();
    if (end.isEmpty() || start.isEmpty()) {
      return new Transition(seconds, true); // MPD crossfades when a tag is missing
    }
    double in = MixRamp.seconds(start, mixrampDb - decibels(toGain));
    double out = MixRamp.seconds(end, mixrampDb - decibels(fromGain));
    double overlap = in + out - mixrampDelaySeconds;
    if (in < 0 || out < 0 || overlap < 0) {
      return Transition.GAPLESS;
    }
    return new Transition(Math.min(overlap, Transition.MAX_OVERLAP_SECONDS), false);
  }

  private static double decibels(float gain) {
    return gain > 0 ? 20 * Math.log10(gain) : 0;
  }

  private static boolean sameAlbumNext(QueueEntry from, QueueEntry to) {
    if (from.track == null || to.track == null || from.track.albumId().isEmpty()) {
      return false;
    }
    var a = from.track;
    var b = to.track;
    return a.albumId().equals(b.albumId())
        && a.discNumber() == b.discNumber()
        && a.trackNumber() > 0
        && b.trackNumber() == a.trackNumber() + 1;
  }
}
