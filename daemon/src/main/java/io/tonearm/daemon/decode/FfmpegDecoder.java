package io.tonearm.daemon.decode;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Any other format (AAC/M4A, ALAC, WMA, APE, WavPack...) through an {@code ffmpeg} subprocess that
 * writes 32-bit float little-endian PCM to a pipe; {@code ffprobe} reads the format first. A seek
 * restarts ffmpeg with {@code -ss} before the input, which ffmpeg makes accurate by decoding and
 * discarding up to the target. The length comes from the container's duration, so it may be off by
 * a codec block. The subprocess is killed on close.
 */
public final class FfmpegDecoder implements Decoder {

  private static final long PROBE_TIMEOUT_S = 15;
  private static final int BUFFER_FRAMES = 4096;

  /**
   * Frames decoded and dropped before a seek target: ffmpeg starts exactly at {@code -ss} but
   * without warming the codec up (AAC's first 2048 frames after a seek are a transient).
   */
  private static final int SEEK_PREROLL = 4096;

  private static final Set<String> EXTENSIONS =
      Set.of(
          "m4a", "m4b", "mp4", "aac", "alac", "wma", "asf", "ape", "wv", "mka", "webm", "ac3",
          "eac3", "dts", "tta", "caf", "mpc", "spx", "amr", "au", "snd", "dsf", "dff", "w64");
  private static final boolean AVAILABLE = probeTools();

  private final Path file;
  private final int stream;
  private final AudioFormat format;
  private final byte[] bytes;
  private Process process;
  private InputStream in;
  private Path errors;
  private long produced;
  private long skip;

  private FfmpegDecoder(Path file, int stream) throws IOException {
    this.file = file;
    this.stream = stream;
    this.format = probe(file, stream);
    this.bytes = new byte[BUFFER_FRAMES * format.channels() * 4];
    start(0);
  }

  /** Opens {@code file} with ffmpeg. */
  public static FfmpegDecoder open(Path file) throws IOException {
    if (!AVAILABLE) {
      throw new UnsupportedFormatException("ffmpeg is not installed");
    }
    return new FfmpegDecoder(file, 0);
  }

  /** Opens audio stream {@code stream} (0-based among the audio streams) of {@code file}. */
  public static FfmpegDecoder open(Path file, int stream) throws IOException {
    if (!AVAILABLE) {
      throw new UnsupportedFormatException("ffmpeg is not installed");
    }
    if (stream < 0) {
      throw new IllegalArgumentException("stream must be 0 or more");
    }
    return new FfmpegDecoder(file, stream);
  }

  /** How many audio streams ffprobe finds in {@code file}. */
  static int audioStreams(Path file) throws IOException {
    if (!AVAILABLE) {
      throw new UnsupportedFormatException("ffmpeg is not installed");
    }
    List<String> lines =
        runProbe(
            List.of("-select_streams", "a", "-show_entries", "stream=index", "-of", "csv=p=0"),
            file);
    int n = 0;
    for (String l : lines) {
      if (!l.isBlank()) {
        n++;
      }
    }
    return n;
  }

  /** Whether {@code ffmpeg -version} and {@code ffprobe -version} ran, probed once per process. */
  static boolean available() {
    return AVAILABLE;
  }

  private static boolean probeTools() {
    for (String tool : List.of("ffmpeg", "ffprobe")) {
      try {
        Process p =
            new ProcessBuilder(tool, "-version")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return false;
        }
        if (p.exitValue() != 0) {
          return false;
        }
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private static AudioFormat probe(Path file, int stream) throws IOException {
    Map<String, String> kv = new HashMap<>();
    for (String line :
        runProbe(
            List.of(
                "-select_streams",
                "a:" + stream,
                "-show_entries",
                "stream=codec_name,sample_rate,channels,duration:format=duration",
                "-of",
                "default=noprint_wrappers=1"),
            file)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        kv.putIfAbsent(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    int rate = parseInt(kv.get("sample_rate"));
    int channels = parseInt(kv.get("channels"));
    if (rate <= 0 || rate > 768_000 || channels <= 0) {
      throw new UnsupportedFormatException("ffmpeg finds no audio stream it can decode");
    }
    double seconds = parseDouble(kv.get("duration"));
    long frames = seconds > 0 ? Math.round(seconds * rate) : -1;
    String codec = kv.getOrDefault("codec_name", "ffmpeg").toLowerCase(Locale.ROOT);
    return new AudioFormat(rate, Math.min(channels, 8), frames, codec, 0);
  }

  /** Runs ffprobe with {@code args} on {@code file}; its output lines, or an IOException. */
  private static List<String> runProbe(List<String> args, Path file) throws IOException {
    Path out = Files.createTempFile("tonearm-ffprobe", ".txt");
    List<String> cmd = new ArrayList<>(List.of("ffprobe", "-v", "error"));
    cmd.addAll(args);
    cmd.addAll(List.of("--", file.toAbsolutePath().toString()));
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectOutput(out.toFile())
            .start();
    try {
      // Output goes to a file, not a pipe, so that a stuck ffprobe cannot block us past the
      // timeout.
      if (!p.waitFor(PROBE_TIMEOUT_S, TimeUnit.SECONDS)) {
        throw new IOException("ffprobe timed out after " + PROBE_TIMEOUT_S + " s");
      }
      if (p.exitValue() != 0) {
        throw new UnsupportedFormatException("ffmpeg finds no audio stream it can decode");
      }
      return Files.readAllLines(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while probing with ffprobe", e);
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(out);
    }
  }

  private static int parseInt(String s) {
    try {
      return s == null ? -1 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static double parseDouble(String s) {
    try {
      return s == null ? -1 : Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void start(long frame) throws IOException {
    stop();
    errors = Files.createTempFile("tonearm-ffmpeg", ".log");
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error"));
    if (frame > 0) {
      cmd.addAll(
          List.of("-ss", String.format(Locale.ROOT, "%.6f", frame / (double) format.sampleRate())));
    }
    cmd.addAll(
        List.of(
            "-i",
            file.toAbsolutePath().toString(),
            "-map",
            "0:a:" + stream,
            "-vn",
            "-f",
            "f32le",
            "-ac",
            Integer.toString(format.channels()),
            "-ar",
            Integer.toString(format.sampleRate()),
            "-"));
    process = new ProcessBuilder(cmd).redirectError(errors.toFile()).start();
    process.getOutputStream().close();
    in = new BufferedInputStream(process.getInputStream(), 64 * 1024);
    produced = frame;
    skip = 0;
  }

  @Override
  public AudioFormat format() {
    return format;
  }

  @Override
  public int read(float[] dst, int offset, int maxFrames) throws IOException {
    if (in == null) {
      return -1;
    }
    int ch = format.channels();
    int frameBytes = ch * 4;
    while (skip > 0) {
      int dropped = in.readNBytes(bytes, 0, (int) Math.min(skip, BUFFER_FRAMES) * frameBytes);
      if (dropped < frameBytes) {
        finish();
        return -1;
      }
      skip -= dropped / frameBytes;
    }
    int want = Math.min(maxFrames, BUFFER_FRAMES) * frameBytes;
    int got = in.readNBytes(bytes, 0, want);
    int n = got / frameBytes;
    if (n == 0) {
      finish();
      return -1;
    }
    for (int i = 0, b = 0; i < n * ch; i++, b += 4) {
      int bits =
          (bytes[b] & 0xFF)
              | (bytes[b + 1] & 0xFF) << 8
              | (bytes[b + 2] & 0xFF) << 16
              | bytes[b + 3] << 24;
      dst[offset + i] = Float.intBitsToFloat(bits);
    }
    produced += n;
    return n;
  }

  /** At the end of ffmpeg's output: reports a failed run, then frees the process. */
  private void finish() throws IOException {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IOException("ffmpeg did not exit after its output ended");
      }
      if (process.exitValue() != 0) {
        String why = Files.readString(errors, StandardCharsets.UTF_8).trim();
        throw new IOException(
            "ffmpeg failed after "
                + produced
                + " frames: "
                + (why.length() > 300 ? why.substring(0, 300) : why));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for ffmpeg", e);
    } finally {
      stop();
    }
  }

  @Override
  public void seek(long frame) throws IOException {
    long total = format.frames();
    if (frame < 0 || (total >= 0 && frame > total)) {
      throw new IOException("seek to frame " + frame + " outside 0.." + total);
    }
    long from = Math.max(0, frame - SEEK_PREROLL);
    start(from);
    skip = frame - from;
    produced = frame;
  }

  private void stop() throws IOException {
    if (process != null) {
      process.destroyForcibly();
      in.close();
      process = null;
      in = null;
    }
    if (errors != null) {
      Files.deleteIfExists(errors);
      errors = null;
    }
  }

  @Override
  public void close() throws IOException {
    stop();
  }

  /** Registry entry: known container magic or extensions, when ffmpeg is installed. */
  static final class Plugin implements DecoderPlugin {
    @Override
    public String name() {
      return "ffmpeg";
    }

    @Override
    public boolean accepts(byte[] h, int n, String extension) {
      if (!AVAILABLE) {
        return false;
      }
      boolean ftyp = n >= 8 && h[4] == 'f' && h[5] == 't' && h[6] == 'y' && h[7] == 'p';
      boolean asf =
          n >= 4
              && (h[0] & 0xFF) == 0x30
              && (h[1] & 0xFF) == 0x26
              && (h[2] & 0xFF) == 0xB2
              && (h[3] & 0xFF) == 0x75;
      boolean ebml =
          n >= 4
              && (h[0] & 0xFF) == 0x1A
              && (h[1] & 0xFF) == 0x45
              && (h[2] & 0xFF) == 0xDF
              && (h[3] & 0xFF) == 0xA3;
      boolean adts = n >= 2 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xF6) == 0xF0;
      String magic4 = n >= 4 ? new String(h, 0, 4, StandardCharsets.ISO_8859_1) : "";
      boolean other = Set.of("MAC ", "wvpk", "caff", "TTA1", "MPCK", ".snd").contains(magic4);
      return ftyp || asf || ebml || adts || other || EXTENSIONS.contains(extension);
    }

    @Override
    public Decoder open(Path file) throws IOException {
      return FfmpegDecoder.open(file);
    }
  }
}
