package io.tonearm.daemon.output;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;

/**
 * The default sound device through {@code javax.sound.sampled}, as 16-bit signed little-endian PCM.
 * The device's own frame position is the clock.
 */
public final class JavaSoundOutput implements Output {

  private static final int CHUNK_FRAMES = 4096;
  private static final int BUFFER_MILLIS = 100;

  private volatile SourceDataLine line;
  private byte[] bytes = new byte[0];
  private int channels;
  private int rate = 1;
  private volatile boolean open;
  private volatile long written;
  private volatile long positionAdjust;

  @Override
  public String id() {
    return "javasound";
  }

  @Override
  public String description() {
    return "Default sound device (javax.sound)";
  }

  @Override
  public boolean paced() {
    return true;
  }

  /** True when the JVM offers a line for 44.1 kHz stereo 16-bit PCM. */
  public static boolean available() {
    try {
      DataLine.Info info =
          new DataLine.Info(SourceDataLine.class, new AudioFormat(44_100f, 16, 2, true, false));
      return AudioSystem.isLineSupported(info);
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  @Override
  public void open(int sampleRate, int channels) throws OutputException {
    close();
    AudioFormat format = new AudioFormat(sampleRate, 16, channels, true, false);
    try {
      SourceDataLine l = AudioSystem.getSourceDataLine(format);
      l.open(format, sampleRate * channels * 2 * BUFFER_MILLIS / 1000);
      l.start();
      line = l;
    } catch (LineUnavailableException | RuntimeException e) {
      throw new OutputException("cannot open sound device at " + sampleRate + " Hz: " + e, e);
    }
    this.channels = channels;
    this.rate = sampleRate;
    if (bytes.length < CHUNK_FRAMES * channels * 2) {
      bytes = new byte[CHUNK_FRAMES * channels * 2];
    }
    written = 0;
    positionAdjust = 0;
    open = true;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void write(float[] interleaved, int offset, int frames) throws OutputException {
    int done = 0;
    while (done < frames) {
      int n = Math.min(CHUNK_FRAMES, frames - done);
      int samples = n * channels;
      int base = offset + done * channels;
      for (int i = 0; i < samples; i++) {
        float f = interleaved[base + i];
        int s = Math.round(Math.max(-1f, Math.min(1f, f)) * 32767f);
        bytes[2 * i] = (byte) s;
        bytes[2 * i + 1] = (byte) (s >> 8);
      }
      written += n;
      int len = samples * 2;
      int off = 0;
      while (off < len) {
        int w = line.write(bytes, off, len - off);
        if (w <= 0 && !line.isOpen()) {
          close();
          throw new OutputException("sound device closed while playing");
        }
        off += w;
      }
      done += n;
    }
  }

  @Override
  public void pause() {
    if (line != null) {
      line.stop();
    }
  }

  @Override
  public void resume() {
    if (line != null) {
      line.start();
    }
  }

  @Override
  public void flush() {
    if (line != null) {
      long played = framesPlayed();
      line.flush();
      written = played;
      positionAdjust = played - line.getLongFramePosition();
    }
  }

  @Override
  public void drain() {
    if (line != null) {
      line.drain();
    }
  }

  @Override
  public void close() {
    open = false;
    if (line != null) {
      line.close();
      line = null;
    }
  }

  @Override
  public long framesWritten() {
    return written;
  }

  @Override
  public long framesPlayed() {
    SourceDataLine l = line;
    long w = written;
    return l == null ? w : Math.min(w, l.getLongFramePosition() + positionAdjust);
  }

  @Override
  public long latencyMicros() {
    return (written - framesPlayed()) * 1_000_000L / rate;
  }
}
