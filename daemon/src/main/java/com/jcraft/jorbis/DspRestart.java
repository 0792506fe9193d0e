package com.jcraft.jorbis;

import java.util.Arrays;

/**
 * Tonearm's: puts a JOrbis {@link DspState} back into the state {@link
 * DspState#synthesis_init(Info)} leaves it in, keeping what {@code synthesis_init} decoded from the
 * setup header (the codebooks, windows, MDCT tables and mode lookups), so that a seek or the next
 * file with the same headers does not decode them again. The PCM buffers are zeroed, as a new
 * state's are; JOrbis's fields are package-private, hence this class's package.
 */
public final class DspRestart {

  private static final int PCM_STORAGE = 8192; // what DspState.init allocates

  private DspRestart() {}

  /** Restores the fields {@code synthesis_init} sets and zeroes the PCM buffers. */
  public static void restart(DspState d) {
    Info vi = d.vi;
    boolean intact = d.pcm != null && d.pcm.length == vi.channels;
    for (int i = 0; intact && i < d.pcm.length; i++) {
      intact = d.pcm[i] != null && d.pcm[i].length == d.pcm_storage;
    }
    if (intact) {
      for (float[] channel : d.pcm) {
        Arrays.fill(channel, 0f);
      }
    } else {
      d.pcm_storage = PCM_STORAGE;
      d.pcm = new float[vi.channels][PCM_STORAGE];
    }
    d.lW = 0;
    d.W = 0;
    d.nW = 0;
    d.eofflag = 0;
    d.centerW = vi.blocksizes[1] / 2;
    d.pcm_current = d.centerW;
    d.pcm_returned = d.centerW;
    d.centerW -= vi.blocksizes[0] / 4 + vi.blocksizes[0] / 4; // W = lW = 0
    d.granulepos = -1;
    d.sequence = -1;
    d.glue_bits = 0;
    d.time_bits = 0;
    d.floor_bits = 0;
    d.res_bits = 0;
  }
}
