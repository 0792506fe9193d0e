package io.tonearm.daemon.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Records what plays into 32-bit float WAV files, bit-exact with what the other outputs get. Not
 * paced. The first {@link #open} writes {@code file}; each later open (a new rate or channel count)
 * starts a numbered sibling, {@code name-2.wav}, {@code name-3.wav}... The header's sizes are
 * written at {@link #close} and on every {@link #drain}.
 */
public final class WavFileOutput implements Output {

  private static final int CHUNK_FRAMES = 4096;
  private static final int HEADER_BYTES = 44;

  private final String id;
  private final Path file;
  private final ByteBuffer bytes =
      ByteBuffer.allocateDirect(CHUNK_FRAMES * 8 * 4).order(ByteOrder.LITTLE_ENDIAN);
  private final ByteBuffer header =
      ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  private FileChannel channel;
  private int opens;
  private int rate = 1;
  private int channels;
  private volatile long written;
  private volatile boolean open;

  public WavFileOutput(String id, Path file) {
    this.id = id;
    this.file = file;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String description() {
    return "WAV recorder (" + file.getFileName() + ")";
  }

  @Override
  public boolean paced() {
    return false;
  }

  /** The file the current (or last) stream is written to. */
  public Path currentFile() {
    if (opens <= 1) {
      return file;
    }
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot < 0 ? name : name.substring(0, dot);
    return file.resolveSibling(stem + "-" + opens + ".wav");
  }

  @Override
  public void open(int sampleRate, int channels) throws OutputException {
    close();
    opens++;
    try {
      channel =
          FileChannel.open(
              currentFile(),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
      this.rate = sampleRate;
      this.channels = channels;
      written = 0;
      writeHeader();
      channel.position(HEADER_BYTES);
    } catch (IOException e) {
      close();
      throw new OutputException("cannot record to " + currentFile() + ": " + e.getMessage(), e);
    }
    open = true;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void write(float[] interleaved, int offset, int frames) throws OutputException {
    try {
      int done = 0;
      while (done < frames) {
        int n = Math.min(CHUNK_FRAMES, frames - done);
        bytes.clear();
        int base = offset + done * channels;
        for (int i = 0; i < n * channels; i++) {
          bytes.putFloat(interleaved[base + i]);
        }
        bytes.flip();
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        done += n;
        written += n;
      }
    } catch (IOException e) {
      close();
      throw new OutputException("recording failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void pause() {}

  @Override
  public void resume() {}

  @Override
  public void flush() {}

  @Override
  public void drain() {
    if (channel != null) {
      try {
        writeHeader();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() {
    open = false;
    if (channel != null) {
      try {
        writeHeader();
        channel.close();
      } catch (IOException e) {
        // The recording is best effort; a failed close leaves a file with stale sizes.
      }
      channel = null;
    }
  }

  @Override
  public long framesWritten() {
    return written;
  }

  @Override
  public long framesPlayed() {
    return written;
  }

  @Override
  public long latencyMicros() {
    return 0;
  }

  private void writeHeader() throws IOException {
    long dataBytes = written * channels * 4;
    header.clear();
    WavHeader.put(header, WavHeader.FLOAT, channels, rate, 32, dataBytes);
    header.flip();
    long at = 0;
    while (header.hasRemaining()) {
      at += channel.write(header, at);
    }
  }
}
