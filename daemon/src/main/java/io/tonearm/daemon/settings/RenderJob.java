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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Renders one track through the enhancement chain offline, as it was set when the job was asked for
 * (preset or custom chain at its intensity, and the reference-matching curve), into a 32-bit float
 * WAV in the renders folder: decoded in the blocks the player uses (20 ms), processed by the same
 * {@link Enhancement} code, its look-ahead delay removed (the file starts at the track's frame 0)
 * and played out at the end. Written to a hidden temporary file and moved into place when complete;
 * a cancel or failure leaves nothing. The folder keeps the newest {@value #MAX_FILES} renders; a
 * track whose render would pass {@value #MAX_BYTES} bytes (the WAV limit, with room) is refused
 * before it starts.
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

  RenderJob(Path source, Path target, EnhancementSettings chain, List<EqBand> match) {
    this.source = source;
    this.target = target;
    this.chain = chain;
    this.match = List.copyOf(match);
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
      WavFileOutput wav = new WavFileOutput("render", tmp);
      wav.open(f.sampleRate(), f.channels());
      long[] done = {0};
      try {
        render(
            d,
            chain,
            match,
            (x, n) -> {
              try {
                wav.write(x, 0, n);
              } catch (OutputException e) {
                throw new IOException(e.getMessage(), e);
              }
              done[0] += n;
              ctx.progress(done[0], target.getFileName().toString());
              ctx.checkCancelled();
            });
      } finally {
        wav.close();
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      prune(target.getParent());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Decodes {@code d} to its end through a fresh chain set to {@code chain} and {@code match}, in
   * blocks of 1/50 s, and gives {@code sink} the processed frames without the chain's look-ahead
   * delay: frame for frame the input's length.
   */
  public static void render(Decoder d, EnhancementSettings chain, List<EqBand> match, Sink sink)
      throws IOException {
    AudioFormat f = d.format();
    int ch = f.channels();
    Enhancement e = new Enhancement();
    e.apply(chain);
    e.applyMatch(match);
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
          s.filter(p -> p.getFileName().toString().endsWith(".wav"))
              .sorted(Comparator.comparing(RenderJob::modified).reversed())
              .toList();
    }
    for (Path old : wavs.subList(Math.min(MAX_FILES, wavs.size()), wavs.size())) {
      Files.deleteIfExists(old);
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
