package io.tonearm.daemon.decode;

import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusMSDecoder;
import io.github.jaredmdobson.concentus.OpusPacketInfo;
import java.io.IOException;

/**
 * Opus through Concentus, a pure-Java port of libopus's fixed-point build: the fallback where
 * libopus is not installed. It decodes to 16-bit integers, so peaks above full scale are clipped
 * before any gain and the samples are about -72 dB from libopus's float decode. Not thread-safe.
 */
final class ConcentusCodec implements OpusCodec {

  private final int channels;
  private final int gainQ8;
  private final short[] pcm;

  /**
   * One stream in channel order (all mono and stereo files): decoded by Concentus's single-stream
   * decoder; the multistream decoder would allocate a 23 KB scratch buffer per packet.
   */
  private final io.github.jaredmdobson.concentus.OpusDecoder stream;

  private final OpusMSDecoder multistream;

  ConcentusCodec(int channels, int streams, int coupled, short[] mapping, int gainQ8, int maxFrames)
      throws IOException {
    this.channels = channels;
    this.gainQ8 = gainQ8;
    this.pcm = new short[maxFrames * channels];
    boolean single = streams == 1 && coupled == channels - 1;
    for (int c = 0; c < channels && single; c++) {
      single = mapping[c] == c;
    }
    try {
      if (single) {
        stream = new io.github.jaredmdobson.concentus.OpusDecoder(48_000, channels);
        multistream = null;
      } else {
        stream = null;
        multistream = OpusMSDecoder.create(48_000, channels, streams, coupled, mapping);
      }
      setGain();
    } catch (OpusException e) {
      throw new IOException("cannot start the Opus decoder: " + e.getMessage(), e);
    }
  }

  private void setGain() {
    if (stream != null) {
      stream.setGain(gainQ8);
    } else {
      multistream.setGain(gainQ8);
    }
  }

  @Override
  public int decode(byte[] packet, int length, float[] out, int maxFrames) throws IOException {
    try {
      int n;
      if (stream != null) {
        n = stream.decode(packet, 0, length, pcm, 0, maxFrames, false);
      } else {
        // The multistream decoder allocates scratch for frameSize frames per call: ask for the
        // packet's own duration (from its TOC, RFC 6716 section 3.1), not the 120 ms maximum.
        int frameSize = OpusPacketInfo.getNumSamples(packet, 0, length, 48_000);
        if (frameSize <= 0 || frameSize > maxFrames) {
          frameSize = maxFrames;
        }
        n = multistream.decodeMultistream(packet, 0, length, pcm, 0, frameSize, 0);
      }
      if (n < 0) {
        throw new IOException("corrupt Opus packet: Concentus error " + n);
      }
      final float scale = 1f / 32768f;
      for (int i = 0, m = n * channels; i < m; i++) {
        out[i] = pcm[i] * scale;
      }
      return n;
    } catch (OpusException | RuntimeException e) {
      throw new IOException("corrupt Opus packet: " + e.getMessage(), e);
    }
  }

  @Override
  public void reset() {
    // Resetting keeps the decoders' tables and buffers; re-creating them on every seek would not.
    if (stream != null) {
      stream.resetState();
    } else {
      multistream.ResetState();
    }
    setGain();
  }

  @Override
  public void close() {}
}
