package io.tonearm.daemon.output;

import java.io.ByteArrayOutputStream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Control;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineListener;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;

/**
 * A sound line without a sound card: takes every byte at once, keeps them, and reports as its frame
 * position whatever the test sets ({@link #setPosition}); {@link #drain} plays everything, {@link
 * #flush} drops what was not played. Can refuse to open or close itself mid-write.
 */
final class FakeLine implements SourceDataLine {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private AudioFormat format;
  private int bufferSize;
  private boolean open;
  private boolean running;
  private boolean refuseOpen;
  private long closeAfterBytes = Long.MAX_VALUE;
  private long consumed; // frames taken
  private volatile long position; // frames "played"
  int opens;
  int flushes;
  int drains;

  /** Makes {@link #open} throw {@link LineUnavailableException}. */
  FakeLine refuseOpen() {
    refuseOpen = true;
    return this;
  }

  /** Closes the line (as an unplugged device would) once this many bytes were taken. */
  FakeLine closeAfter(long byteCount) {
    closeAfterBytes = byteCount;
    return this;
  }

  void setPosition(long frames) {
    position = frames;
  }

  synchronized byte[] received() {
    return bytes.toByteArray();
  }

  long consumedFrames() {
    return consumed;
  }

  int bufferSize() {
    return bufferSize;
  }

  @Override
  public void open(AudioFormat f, int size) throws LineUnavailableException {
    if (refuseOpen) {
      throw new LineUnavailableException("device busy (test)");
    }
    format = f;
    bufferSize = size;
    open = true;
    opens++;
  }

  @Override
  public void open(AudioFormat f) throws LineUnavailableException {
    open(f, 4096);
  }

  @Override
  public void open() throws LineUnavailableException {
    open(format, 4096);
  }

  @Override
  public synchronized int write(byte[] b, int off, int len) {
    if (!open) {
      return 0;
    }
    int n = (int) Math.min(len, closeAfterBytes - bytes.size());
    bytes.write(b, off, n);
    consumed += n / format.getFrameSize();
    if (n < len) {
      open = false; // unplugged
    }
    return n;
  }

  @Override
  public void drain() {
    drains++;
    position = consumed;
  }

  @Override
  public void flush() {
    flushes++;
    consumed = position;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public boolean isActive() {
    return running;
  }

  @Override
  public AudioFormat getFormat() {
    return format;
  }

  @Override
  public int getBufferSize() {
    return bufferSize;
  }

  @Override
  public int available() {
    int frameBytes = format == null ? 1 : format.getFrameSize();
    return (int) Math.max(0, bufferSize - (consumed - position) * frameBytes);
  }

  @Override
  public int getFramePosition() {
    return (int) position;
  }

  @Override
  public long getLongFramePosition() {
    return position;
  }

  @Override
  public long getMicrosecondPosition() {
    return format == null ? 0 : (long) (position * 1_000_000L / format.getFrameRate());
  }

  @Override
  public float getLevel() {
    return AudioSystem.NOT_SPECIFIED;
  }

  @Override
  public Line.Info getLineInfo() {
    return new DataLine.Info(SourceDataLine.class, format);
  }

  @Override
  public void close() {
    open = false;
    running = false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public Control[] getControls() {
    return new Control[0];
  }

  @Override
  public boolean isControlSupported(Control.Type control) {
    return false;
  }

  @Override
  public Control getControl(Control.Type control) {
    throw new IllegalArgumentException("no controls");
  }

  @Override
  public void addLineListener(LineListener listener) {}

  @Override
  public void removeLineListener(LineListener listener) {}
}
