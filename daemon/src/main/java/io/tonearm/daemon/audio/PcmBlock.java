package io.tonearm.daemon.audio;

/**
 * One slot of the {@link BlockPipe}: up to {@link #CAPACITY} interleaved float samples and the
 * facts the output thread needs about them. Made once per pipe slot and reused forever.
 */
final class PcmBlock {

  /** Samples per block: 20 ms of 48 kHz stereo has 1920; 8-channel audio gets fewer frames. */
  static final int CAPACITY = 8192;

  /** Ordinary samples. */
  static final int DATA = 0;

  /** The first samples of a play (a load, a seek, or the next item reached gaplessly). */
  static final int START = 1;

  /** No samples: the decoder has nothing more to play in this generation. */
  static final int END = 2;

  final float[] samples = new float[CAPACITY];
  int kind;
  int frames;

  /** Channels per frame of the audio (of each stem, for a stem set). */
  int channels;

  /** The stems held apart in {@link #samples} (frames of count x channels samples), or null. */
  io.tonearm.daemon.decode.StemLayout stems;

  int sampleRate;
  long generation;

  /** The play this block belongs to. */
  Play play;

  /** Frame index within the item of the block's first frame. */
  long itemFrame;
}
