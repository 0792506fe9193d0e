package io.tonearm.daemon.dsp;

import io.tonearm.daemon.decode.StemLayout;

/**
 * The engine's mixer, first on the output thread's path, at the item's own rate. A block of a stem
 * set (stems apart, stereo each, see {@code decode.StemSetDecoder}) is mixed to stereo with each
 * stem's gain, mute, solo and pan and the vocal or instrumental volume of its role; a block of an
 * ordinary stereo track goes through {@link CentreCancel} so that the same two volumes act on its
 * centre band and the rest. Every gain ramps to its new value ({@link VolumeRamp#RAMP_SECONDS} for
 * a full-scale change), so a change never clicks; after a break ({@link #reset}) the next block
 * starts at the targets.
 *
 * <p>Threading: {@link #apply} and {@link #onLayout} from any thread (the settings are one volatile
 * immutable value); everything else on the output thread. Allocation-free after the first block.
 */
public final class StemMixer {

  /** Told which stems are being mixed when that changes. */
  @FunctionalInterface
  public interface LayoutListener {
    /**
     * The output thread started mixing blocks of {@code layout} (null: an ordinary track of {@code
     * channels} channels; 2 for a stem set), about one output latency before they are heard. Output
     * thread: hand off and return at once.
     */
    void layoutChanged(StemLayout layout, int channels);
  }

  private static final int MAX = StemLayout.MAX_STEMS;

  private volatile MixerSettings settings = MixerSettings.NEUTRAL;
  private volatile LayoutListener listener = (l, c) -> {};
  private float[] out = new float[8192];
  private final float[] curL = new float[MAX];
  private final float[] curR = new float[MAX];
  private final float[] tgtL = new float[MAX];
  private final float[] tgtR = new float[MAX];
  private final CentreCancel centre = new CentreCancel();
  private StemLayout layout;
  private int plainChannels; // channels of the ordinary track being mixed, 0 for a stem set
  private MixerSettings targetsOf;
  private boolean jump = true;

  /** Mixes with {@code s} from the next block on (ramping there). Any thread. */
  public void apply(MixerSettings s) {
    settings = s;
  }

  /** The settings mixed with now. */
  public MixerSettings settings() {
    return settings;
  }

  public void onLayout(LayoutListener l) {
    listener = l;
  }

  /** The stream broke (seek, stop, load): the next block starts at its targets, no ramp. */
  public void reset() {
    centre.reset();
    jump = true;
  }

  /**
   * Mixes {@code frames} frames of stems apart ({@code layout.count()} stereo stems per frame) from
   * {@code src} at {@code offset} into stereo; returns the buffer holding them from index 0 (the
   * mixer's own, valid until the next call).
   */
  public float[] mix(float[] src, int offset, int frames, StemLayout layout, int rate) {
    return mix(src, offset, frames, layout, rate, null);
  }

  /**
   * As {@link #mix(float[], int, int, StemLayout, int)}, and when {@code heard} is not null (at
   * least {@code 2 * frames * layout.count()} long) also writes there each stem as it enters the
   * mix (after its strip and role volume, ramps included): stem {@code s}'s interleaved stereo
   * frames from {@code s * 2 * frames}, for the per-stem meters.
   */
  public float[] mix(
      float[] src, int offset, int frames, StemLayout layout, int rate, float[] heard) {
    if (frames * 2 > out.length) {
      out = new float[frames * 2]; // never with the pipe's blocks, which are smaller
    }
    if (layout != this.layout || plainChannels != 0) {
      this.layout = layout;
      plainChannels = 0;
      targetsOf = null;
      jump = true; // another item: nothing to keep smooth across its first frame
      listener.layoutChanged(layout, 2);
    }
    MixerSettings s = settings;
    if (s != targetsOf) {
      targets(s, layout);
    }
    if (jump) {
      jump = false;
      System.arraycopy(tgtL, 0, curL, 0, MAX);
      System.arraycopy(tgtR, 0, curR, 0, MAX);
    }
    int count = layout.count();
    int stride = 2 * count;
    float step = (float) (1.0 / (VolumeRamp.RAMP_SECONDS * rate));
    float[] o = out;
    for (int st = 0; st < count; st++) {
      float gl = curL[st];
      float gr = curR[st];
      float tl = tgtL[st];
      float tr = tgtR[st];
      boolean first = st == 0;
      int p = offset + 2 * st;
      if (gl == tl && gr == tr) {
        if (heard != null) {
          int h = 2 * st * frames;
          for (int f = 0, q = p; f < frames; f++, q += stride) {
            heard[h + 2 * f] = src[q] * gl;
            heard[h + 2 * f + 1] = src[q + 1] * gr;
          }
        }
        if (first) {
          for (int f = 0; f < frames; f++, p += stride) {
            o[2 * f] = src[p] * gl;
            o[2 * f + 1] = src[p + 1] * gr;
          }
        } else {
          for (int f = 0; f < frames; f++, p += stride) {
            o[2 * f] += src[p] * gl;
            o[2 * f + 1] += src[p + 1] * gr;
          }
        }
        continue;
      }
      int h = 2 * st * frames;
      for (int f = 0; f < frames; f++, p += stride) {
        gl = gl < tl ? Math.min(tl, gl + step) : Math.max(tl, gl - step);
        gr = gr < tr ? Math.min(tr, gr + step) : Math.max(tr, gr - step);
        float l = src[p] * gl;
        float r = src[p + 1] * gr;
        o[2 * f] = first ? l : o[2 * f] + l;
        o[2 * f + 1] = first ? r : o[2 * f + 1] + r;
        if (heard != null) {
          heard[h + 2 * f] = l;
          heard[h + 2 * f + 1] = r;
        }
      }
      curL[st] = gl;
      curR[st] = gr;
    }
    return o;
  }

  /**
   * An ordinary track's block, in place: stereo goes through the centre cancellation when the vocal
   * or instrumental volume is below unity; other channel counts pass untouched.
   */
  public void process(float[] buf, int offset, int frames, int channels, int rate) {
    if (layout != null || plainChannels != channels) {
      layout = null;
      plainChannels = channels;
      listener.layoutChanged(null, channels);
    }
    MixerSettings s = settings;
    if (channels != 2) {
      return;
    }
    if (centre.rate() != rate) {
      centre.prepare(rate);
      jump = true;
    }
    if (jump) {
      jump = false;
      centre.jump(s.vocal(), s.instrumental());
    }
    centre.process(buf, offset, frames, s.vocal(), s.instrumental());
  }

  private void targets(MixerSettings s, StemLayout l) {
    targetsOf = s;
    boolean anySolo = false;
    for (int i = 0; i < l.count(); i++) {
      anySolo |= s.strip(l.names().get(i)).solo();
    }
    for (int i = 0; i < l.count(); i++) {
      MixerSettings.Strip st = s.strip(l.names().get(i));
      boolean heard = !st.mute() && (!anySolo || st.solo());
      float g = heard ? st.gain() * (l.isVocal(i) ? s.vocal() : s.instrumental()) : 0f;
      tgtL[i] = g * (st.pan() > 0 ? 1 - st.pan() : 1);
      tgtR[i] = g * (st.pan() < 0 ? 1 + st.pan() : 1);
    }
  }
}
