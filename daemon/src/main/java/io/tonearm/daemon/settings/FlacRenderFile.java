package io.tonearm.daemon.settings;

import io.tonearm.daemon.encode.ByteSink;
import io.tonearm.daemon.encode.FlacEncoder;
import io.tonearm.daemon.output.Quantizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A FLAC file of a render: the engine's float samples made into 16- or 24-bit words by the outputs'
 * {@link Quantizer} (TPDF dither of ±1 LSB whenever a block is not whole words, which after the
 * chain it always is), encoded by the streams' {@link FlacEncoder} and written to a channel. {@link
 * #finish} writes the last, shorter FLAC frame and goes back to fill STREAMINFO with the length and
 * the MD5 of the words, so {@code flac -t} can check the file whole.
 *
 * <p>Not thread-safe: the render job's thread owns it. The channel is the caller's to close.
 */
public final class FlacRenderFile implements RenderJob.Sink {

  private final FileChannel channel;
  private final FlacEncoder encoder;
  private final Quantizer quantizer;
  private final int channels;
  private final MessageDigest md5;
  private final ByteSink out = new ByteSink(64 << 10);
  private byte[] words = new byte[0];
  private long frames;

  /**
   * Writes a provisional header (length and MD5 unknown) at the channel's position 0.
   *
   * @param bits 16 or 24
   */
  public FlacRenderFile(FileChannel channel, int rate, int channels, int bits) throws IOException {
    this.channel = channel;
    this.encoder = new FlacEncoder(rate, channels, bits);
    this.quantizer = new Quantizer(bits, true);
    this.channels = channels;
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has MD5", e);
    }
    writeFully(ByteBuffer.wrap(encoder.header()), 0);
  }

  @Override
  public void write(float[] interleaved, int n) throws IOException {
    int samples = n * channels;
    int need = samples * quantizer.bits() / 8;
    if (words.length < need) {
      words = new byte[need];
    }
    int len = quantizer.toLittleEndian(interleaved, 0, samples, words, 0);
    md5.update(words, 0, len); // FLAC's MD5 is of the words as little-endian interleaved bytes
    encoder.encode(words, 0, len, out);
    frames += n;
    drain();
  }

  /** Writes the last FLAC frame, then the final STREAMINFO, and forces the file to disk. */
  public void finish() throws IOException {
    encoder.finish(out);
    drain();
    writeFully(ByteBuffer.wrap(encoder.header(frames, md5.digest())), 0);
    channel.force(true);
  }

  private void drain() throws IOException {
    if (out.size() > 0) {
      ByteBuffer b = ByteBuffer.wrap(out.array(), 0, out.size());
      while (b.hasRemaining()) {
        channel.write(b);
      }
      out.clear();
    }
  }

  private void writeFully(ByteBuffer b, long position) throws IOException {
    long p = position;
    while (b.hasRemaining()) {
      p += channel.write(b, p);
    }
    if (position == 0 && channel.position() < p) {
      channel.position(p);
    }
  }
}
