package io.tonearm.daemon.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;

/**
 * A sound device through {@code javax.sound.sampled} (the default one unless told otherwise), as
 * 16-bit signed little-endian PCM. The device's own frame position is the clock. When the device
 * cannot take the rate asked for, {@link #rateFor} picks one it can and the engine resamples.
 */
public final class JavaSoundOutput implements Output {

  /**
   * Where lines come from: javax.sound's default device, one mixer, or a test's fake. Called on the
   * output thread only.
   */
  public interface LineSource {

    /** True when a line for {@code format} can be had. */
    boolean supports(AudioFormat format);

    /**
     * A new line for {@code format}, not yet opened.
     *
     * @throws LineUnavailableException when there is none now
     */
    SourceDataLine line(AudioFormat format) throws LineUnavailableException;

    /** The default device, as javax.sound chooses it. */
    LineSource SYSTEM =
        new LineSource() {
          @Override
          public boolean supports(AudioFormat format) {
            return AudioSystem.isLineSupported(new DataLine.Info(SourceDataLine.class, format));
          }

          @Override
          public SourceDataLine line(AudioFormat format) throws LineUnavailableException {
            return AudioSystem.getSourceDataLine(format);
          }
        };

    /** The lines of one mixer (one device). */
    static LineSource of(Mixer mixer) {
      return new LineSource() {
        @Override
        public boolean supports(AudioFormat format) {
          return mixer.isLineSupported(new DataLine.Info(SourceDataLine.class, format));
        }

        @Override
        public SourceDataLine line(AudioFormat format) throws LineUnavailableException {
          return (SourceDataLine) mixer.getLine(new DataLine.Info(SourceDataLine.class, format));
        }
      };
    }
  }

  /**
   * Rates tried when the device lacks the one asked for: the lowest of them at or above it (so no
   * part of the band is lost), else the highest below.
   */
  private static final int[] RATES = {
    8000, 11_025, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000, 88_200, 96_000, 176_400, 192_000
  };

  private static final int CHUNK_FRAMES = 4096;
  private static final int BUFFER_MILLIS = 200;

  private final LineSource lines;
  private final String description;
  private final Quantizer quantizer;
  private volatile SourceDataLine line;
  private byte[] bytes = new byte[0];
  private int channels;
  private int rate = 1;
  private volatile boolean open;
  private volatile long written;
  private volatile long positionAdjust;

  /** The default sound device. */
  public JavaSoundOutput() {
    this(true);
  }

  /**
   * The default device.
   *
   * @param dither whether word-length reductions get TPDF dither (see {@link Quantizer})
   */
  public JavaSoundOutput(boolean dither) {
    this(LineSource.SYSTEM, "Default sound device (javax.sound)", dither);
  }

  /**
   * @param lines where lines come from
   * @param description what {@link #description} says
   */
  public JavaSoundOutput(LineSource lines, String description) {
    this(lines, description, true);
  }

  /**
   * @param dither whether word-length reductions get TPDF dither (see {@link Quantizer})
   */
  public JavaSoundOutput(LineSource lines, String description, boolean dither) {
    this.lines = lines;
    this.quantizer = new Quantizer(16, dither);
    this.description = description + ", " + quantizer.describe();
  }

  @Override
  public String id() {
    return "javasound";
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public boolean paced() {
    return true;
  }

  /**
   * True when the JVM offers a line for 44.1 kHz stereo 16-bit PCM. On Linux without any ALSA sound
   * card or ALSA configuration (a headless server, a container) javax.sound is not asked: it would
   * find no device, and asking loads its native libraries (libjsound, libasound) and classes into a
   * daemon that then runs on the null output (about 0.6 MB of idle RSS; issue 13, {@code
   * bench/README.md}, "twelfth session").
   */
  public static boolean available() {
    if (!alsaMayHaveDevice(
        System.getProperty("os.name", ""),
        readCards(),
        anyExists(
            Path.of("/etc/asound.conf"),
            Path.of(System.getProperty("user.home", "/"), ".asoundrc"),
            Path.of(System.getProperty("user.home", "/"), ".config/alsa/asoundrc"),
            Path.of("/etc/alsa/conf.d"),
            Path.of("/usr/share/alsa/alsa.conf.d")))) {
      return false;
    }
    try {
      DataLine.Info info =
          new DataLine.Info(SourceDataLine.class, new AudioFormat(44_100f, 16, 2, true, false));
      return AudioSystem.isLineSupported(info);
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * False only where javax.sound cannot have a device: Linux with no ALSA sound card ({@code
   * /proc/asound/cards} missing, or listing none) and no ALSA configuration that could define a
   * software device (PulseAudio's or PipeWire's ALSA plugin, an {@code .asoundrc}).
   *
   * @param cards {@code /proc/asound/cards}, or null when it does not exist
   * @param alsaConfig true when an ALSA configuration file or directory exists
   */
  static boolean alsaMayHaveDevice(String osName, String cards, boolean alsaConfig) {
    if (!osName.toLowerCase(Locale.ROOT).startsWith("linux") || alsaConfig) {
      return true;
    }
    return cards != null && cards.lines().anyMatch(l -> l.matches("\\s*\\d+\\s+\\[.*"));
  }

  private static String readCards() {
    try {
      return Files.readString(Path.of("/proc/asound/cards"));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static boolean anyExists(Path... paths) {
    for (Path p : paths) {
      try {
        if (Files.exists(p)) {
          return true;
        }
      } catch (RuntimeException e) {
        return true; // cannot tell: ask javax.sound as before
      }
    }
    return false;
  }

  /**
   * {@code sampleRate} when the device takes it at 16 bits and {@code channels}; else the lowest
   * rate of 8 to 192 kHz it takes at or above it, else the highest it takes; {@code sampleRate}
   * itself when it takes none (then {@link #open} fails and says why).
   */
  @Override
  public int rateFor(int sampleRate, int channels) {
    if (supports(sampleRate, channels)) {
      return sampleRate;
    }
    int below = 0;
    for (int r : RATES) {
      if (supports(r, channels)) {
        if (r >= sampleRate) {
          return r;
        }
        below = r;
      }
    }
    return below > 0 ? below : sampleRate;
  }

  private boolean supports(int rate, int channels) {
    try {
      return lines.supports(new AudioFormat(rate, 16, channels, true, false));
    } catch (RuntimeException e) {
      return false; // a mixer that cannot even answer has nothing to offer
    }
  }

  @Override
  public void open(int sampleRate, int channels) throws OutputException {
    close();
    AudioFormat format = new AudioFormat(sampleRate, 16, channels, true, false);
    SourceDataLine l = null;
    try {
      l = lines.line(format);
      l.open(format, sampleRate * channels * 2 * BUFFER_MILLIS / 1000);
      l.start();
    } catch (LineUnavailableException | RuntimeException e) {
      if (l != null) {
        l.close(); // a line that was had but would not open or start is let go at once
      }
      throw new OutputException(
          "cannot open sound device at " + sampleRate + " Hz: " + e.getMessage(), e);
    }
    line = l;
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
  public long nanosUntilWritable(int frames) {
    SourceDataLine l = line;
    if (l == null || !l.isRunning()) {
      return 0; // nothing to wait for: write reports a closed line, and a paused one is not fed
    }
    int frameBytes = channels * 2;
    int buffer = l.getBufferSize();
    int free = l.available();
    int need = Math.min(buffer, frames * frameBytes);
    if (free >= need) {
      return 0;
    }
    // Come back when half the buffer is free, so a playing device wakes the thread a few times a
    // second rather than once per block.
    int want = Math.max(need, buffer / 2);
    return Math.max(1_000_000L, (want - free) * 1_000_000_000L / ((long) rate * frameBytes));
  }

  @Override
  public void write(float[] interleaved, int offset, int frames) throws OutputException {
    SourceDataLine l = line;
    if (l == null) {
      throw new OutputException("sound device is not open");
    }
    int done = 0;
    while (done < frames) {
      int n = Math.min(CHUNK_FRAMES, frames - done);
      int samples = n * channels;
      int base = offset + done * channels;
      quantizer.toLittleEndian(interleaved, base, samples, bytes, 0);
      written += n;
      int len = samples * 2;
      int off = 0;
      while (off < len) {
        int w = l.write(bytes, off, len - off);
        if (w <= 0 && !l.isOpen()) {
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
