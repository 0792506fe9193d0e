package io.tonearm.daemon.settings;

import io.tonearm.daemon.decode.AudioFormat;
import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.decode.StoppableDecoder;
import io.tonearm.daemon.dsp.Enhancement;
import io.tonearm.daemon.dsp.EnhancementSettings;
import io.tonearm.daemon.dsp.EqBand;
import io.tonearm.daemon.jobs.JobBody;
import io.tonearm.daemon.jobs.JobContext;
import io.tonearm.daemon.output.OutputException;
import io.tonearm.daemon.output.WavFileOutput;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Renders one track through the enhancement chain offline, as it was set when the job was asked for
 * (preset or custom chain at its intensity, and the reference-matching curve), into the renders
 * folder as a 32-bit float WAV or a 16- or 24-bit dithered FLAC ({@link RenderFormat}): decoded in
 * the blocks the player uses (20 ms), processed by the same {@link Enhancement} code, its
 * look-ahead delay removed (the file starts at the track's frame 0) and played out at the end.
 * Written to a hidden temporary file and moved into place when complete; a cancel or failure (a
 * full disk, an unwritable folder: the job's error names the file and the system's reason) leaves
 * nothing. The folder keeps the newest {@value #MAX_FILES} renders; a track whose render would pass
 * {@value #MAX_BYTES} bytes as float WAV (the WAV limit, with room) is refused before it starts.
 */
public final class RenderJob implements JobBody {

  /** Renders kept in the folder; the oldest go first. */
  static final int MAX_FILES = 20;

  /** Largest render, bytes of samples: WAV sizes are 32-bit. */
  static final long MAX_BYTES = 2L << 30;

  /** Blocks of 1/50 s, as the decoder thread reads them. */
  private static final int BLOCKS_PER_SECOND = 50;

  private final Path source;
  private final Path target;
  private final EnhancementSettings chain;
  private final List<EqBand> match;
  private final double matchGainDb;
  private final RenderFormat format;
  private final Opener opener;

  RenderJob(
      Path source,
      Path target,
      EnhancementSettings chain,
      List<EqBand> match,
      RenderFormat format) {
    this(source, target, chain, match, 0, format, RenderJob::create);
  }

  /**
   * With the reference-matching level {@code matchGainDb} after {@code match}, and {@code opener}
   * making the temporary file's channel (tests give it a full disk).
   */
  RenderJob(
      Path source,
      Path target,
      EnhancementSettings chain,
      List<EqBand> match,
      double matchGainDb,
      RenderFormat format,
      Opener opener) {
    this.source = source;
    this.target = target;
    this.chain = chain;
    this.match = List.copyOf(match);
    this.matchGainDb = matchGainDb;
    this.format = format;
    this.opener = opener;
  }

  /** Opens the channel a FLAC render is written through, for the temporary file. */
  interface Opener {
    FileChannel open(Path tmp) throws IOException;
  }

  static FileChannel create(Path tmp) throws IOException {
    return FileChannel.open(
        tmp,
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
  }

  /** Receives rendered frames; the array is reused after the call. */
  public interface Sink {
    void write(float[] interleaved, int frames) throws IOException;
  }

  @Override
  public void run(JobContext ctx) throws Exception {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
    try (Decoder d = new StoppableDecoder(Decoders.open(source), ctx::cancelled)) {
      AudioFormat f = d.format();
      if (f.frames() >= 0 && f.frames() * f.channels() * 4 > MAX_BYTES) {
        throw new IOException("too long to render: over " + (MAX_BYTES >> 30) + " GiB as WAV");
      }
      ctx.total(Math.max(0, f.frames()));
      long[] done = {0};
      String name = target.getFileName().toString();
      try {
        if (format == RenderFormat.FLOAT_WAV) {
          writeWav(d, tmp, done, ctx);
        } else {
          try (FileChannel ch = opener.open(tmp)) {
            FlacRenderFile flac =
                new FlacRenderFile(ch, f.sampleRate(), f.channels(), format.bits());
            render(d, chain, match, matchGainDb, counted(flac, done, ctx));
            flac.finish();
          }
        }
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (ctx.cancelled()) {
          throw e; // a decoder stopped by the cancel: not a write failure
        }
        throw new IOException("cannot write " + name + ": " + reason(e), e);
      }
      prune(target.getParent());
    } finally {
      if (Files.exists(tmp)) { // false, not an error, when the folder is not one
        Files.delete(tmp);
      }
    }
  }

  private void writeWav(Decoder d, Path tmp, long[] done, JobContext ctx) throws IOException {
    AudioFormat f = d.format();
    WavFileOutput wav = new WavFileOutput("render", tmp);
    try {
      wav.open(f.sampleRate(), f.channels());
    } catch (OutputException e) {
      throw new IOException(e.getMessage(), e);
    }
    try {
      Sink file =
          (x, n) -> {
            try {
              wav.write(x, 0, n);
            } catch (OutputException e) {
              throw new IOException(e.getMessage(), e);
            }
          };
      render(d, chain, match, matchGainDb, counted(file, done, ctx));
    } finally {
      wav.close();
    }
  }

  /** {@code sink} that also reports progress and stops at a cancel. */
  private Sink counted(Sink sink, long[] done, JobContext ctx) {
    String item = target.getFileName().toString();
    return (x, n) -> {
      sink.write(x, n);
      done[0] += n;
      ctx.progress(done[0], item);
      ctx.checkCancelled();
    };
  }

  /** The system's words for a failed write ("No space left on device"). */
  private static String reason(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or folder";
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  /**
   * Decodes {@code d} to its end through a fresh chain set to {@code chain} and {@code match}, in
   * blocks of 1/50 s, and gives {@code sink} the processed frames without the chain's look-ahead
   * delay: frame for frame the input's length.
   */
  public static void render(Decoder d, EnhancementSettings chain, List<EqBand> match, Sink sink)
      throws IOException {
    render(d, chain, match, 0, sink);
  }

  /** {@link #render(Decoder, EnhancementSettings, List, Sink)} with a matching level, dB. */
  public static void render(
      Decoder d, EnhancementSettings chain, List<EqBand> match, double matchGainDb, Sink sink)
      throws IOException {
    AudioFormat f = d.format();
    int ch = f.channels();
    Enhancement e = new Enhancement();
    e.apply(chain);
    e.applyMatch(match, matchGainDb);
    e.prepare(f.sampleRate(), ch);
    int block = Math.max(1, f.sampleRate() / BLOCKS_PER_SECOND);
    float[] buf = new float[block * ch];
    int skip = e.latencyFrames();
    for (int n; (n = d.read(buf, 0, block)) > 0; ) {
      e.process(buf, 0, n);
      skip = emit(buf, n, ch, skip, sink);
    }
    int tail = e.latencyFrames(); // play out what the look-ahead holds
    while (tail > 0) {
      int n = Math.min(block, tail);
      Arrays.fill(buf, 0, n * ch, 0f);
      e.process(buf, 0, n);
      skip = emit(buf, n, ch, skip, sink);
      tail -= n;
    }
  }

  /**
   * Gives {@code sink} what follows the first {@code skip} frames; returns what is left to skip.
   */
  private static int emit(float[] buf, int n, int ch, int skip, Sink sink) throws IOException {
    if (skip >= n) {
      return skip - n;
    }
    if (skip > 0) {
      System.arraycopy(buf, skip * ch, buf, 0, (n - skip) * ch);
    }
    sink.write(buf, n - skip);
    return 0;
  }

  /** Deletes the oldest renders past {@link #MAX_FILES}. */
  static void prune(Path folder) throws IOException {
    List<Path> wavs;
    try (Stream<Path> s = Files.list(folder)) {
      wavs =
          s.filter(RenderJob::isRender)
              .sorted(Comparator.comparing(RenderJob::modified).reversed())
              .toList();
    }
    for (Path old : wavs.subList(Math.min(MAX_FILES, wavs.size()), wavs.size())) {
      Files.deleteIfExists(old);
    }
  }

  private static boolean isRender(Path p) {
    String n = p.getFileName().toString();
    return !n.startsWith(".") && (n.endsWith(".wav") || n.endsWith(".flac"));
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
