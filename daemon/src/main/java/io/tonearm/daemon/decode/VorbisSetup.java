package io.tonearm.daemon.decode;

import com.jcraft.jorbis.Block;
import com.jcraft.jorbis.DspRestart;
import com.jcraft.jorbis.DspState;
import com.jcraft.jorbis.Info;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Vorbis stream's decoded set-up (JOrbis's {@link Info} from the identification and setup
 * headers, and the {@link DspState} and {@link Block} built from it), owned by one decoder at a
 * time. A decoder closed without a failure leaves its set-up as the spare; the next decoder whose
 * identification and setup headers are byte for byte the same takes it instead of decoding the
 * codebooks again (files from one encoder at one quality share them). The key is the exact header
 * bytes; a taken set-up is {@link #restart() restarted} to the state a new one starts in.
 */
final class VorbisSetup {

  private static final AtomicReference<VorbisSetup> SPARE = new AtomicReference<>();

  final Info info;
  final DspState dsp;
  final Block block;
  private final byte[] idHeader;
  private final byte[] setupHeader;

  /** Builds the codec state from {@code info} (all three headers read into it). */
  VorbisSetup(Info info, byte[] idHeader, byte[] setupHeader) {
    this.info = info;
    this.idHeader = idHeader;
    this.setupHeader = setupHeader;
    this.dsp = new DspState();
    dsp.synthesis_init(info);
    this.block = new Block(dsp);
  }

  /**
   * The spare set-up when its headers are exactly {@code idHeader} and {@code setup[0, length)},
   * now owned by the caller; otherwise null, and the spare stays.
   */
  static VorbisSetup take(byte[] idHeader, byte[] setup, int length) {
    VorbisSetup s = SPARE.getAndSet(null);
    if (s == null) {
      return null;
    }
    if (Arrays.equals(s.idHeader, idHeader)
        && Arrays.equals(s.setupHeader, 0, s.setupHeader.length, setup, 0, length)) {
      return s;
    }
    SPARE.compareAndSet(null, s);
    return null;
  }

  /** Gives this set-up up for the next decoder; its owner must not touch it afterwards. */
  void release() {
    SPARE.set(this);
  }

  /** Puts the codec back into the state {@code synthesis_init} leaves it in (a file's start). */
  void restart() {
    DspRestart.restart(dsp);
  }

  /** Drops the spare (tests: the next decoder builds its set-up afresh). */
  static void dropSpare() {
    SPARE.set(null);
  }
}
