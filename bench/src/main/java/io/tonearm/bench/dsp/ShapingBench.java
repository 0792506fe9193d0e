package io.tonearm.bench.dsp;

import io.tonearm.daemon.audio.Overlap;
import io.tonearm.daemon.audio.Play;
import io.tonearm.daemon.decode.AudioFormat;
import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.settings.FlacRenderFile;
import io.tonearm.daemon.settings.RenderJob;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * The cost of issue 14's crossfade and render: the decoder thread's work to mix an equal-power
 * crossfade (the incoming block scaled, the outgoing one read and added, a sine and a cosine per
 * frame) over a whole stream, in % of one core at real time, beside plain gapless blocks; and the
 * speed of an offline render through the enhancement chain with every stage on ({@link
 * ChainBench#ALL_ON}), in multiples of real time, with no file and to 16- and 24-bit dithered FLAC
 * files (interleaved runs). Thread CPU time (not wall time; for the FLAC file the writes' system
 * time is counted), medians of the runs.
 *
 * <p>Usage: {@code ShapingBench [SECONDS_PER_RUN] [RUNS]} (defaults 60 and 5, after a warm-up).
 */
public final class ShapingBench {

  private ShapingBench() {}

  /** A decoder over an array, looping; what the outgoing play reads. */
  private static final class ArrayDecoder implements Decoder {
    private final float[] data;
    private final AudioFormat format;
    private int at;

    ArrayDecoder(float[] data, int rate) {
      this.data = data;
      this.format = new AudioFormat(rate, 2, -1, "pcm", 0);
    }

    @Override
    public AudioFormat format() {
      return format;
    }

    @Override
    public int read(float[] dst, int offset, int maxFrames) {
      int n = Math.min(maxFrames, (data.length - at) / 2);
      if (n <= 0) {
        at = 0;
        n = Math.min(maxFrames, data.length / 2);
      }
      System.arraycopy(data, at, dst, offset, n * 2);
      at += n * 2;
      return n;
    }

    @Override
    public void seek(long frame) {
      at = (int) (frame * 2 % data.length);
    }

    @Override
    public void close() {}
  }

  private static long cpu() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  /** % of one core to fill {@code seconds} of 20 ms blocks, crossfading all along or not. */
  static double crossfade(float[] programme, int rate, int seconds, boolean fade) {
    int block = rate / 50;
    float[] work = new float[block * 2];
    Overlap o = new Overlap();
    long frames = (long) seconds * rate;
    if (fade) {
      o.begin(new Play(1, "a", 1f), new ArrayDecoder(programme, rate), frames, true);
    }
    int at = 0;
    float sink = 0;
    long c0 = cpu();
    for (long done = 0; done < frames; done += block) {
      if ((at + block) * 2 > programme.length) {
        at = 0;
      }
      System.arraycopy(programme, at * 2, work, 0, block * 2); // the incoming block, as decoded
      if (o.active()) {
        o.mixInto(work, block, 2);
      }
      sink += work[block];
      at += block;
    }
    long c = cpu() - c0;
    if (sink == 12345) {
      System.out.print("");
    }
    return 100.0 * c / (seconds * 1e9);
  }

  /**
   * Multiples of real time for a render of {@code seconds} of the programme: to no file ({@code
   * bits} 0, the chain alone) or to a FLAC file of {@code bits} in {@code tmp} (quantizer with
   * dither, encoder, MD5 and the writes; the file is deleted after).
   */
  static double render(float[] programme, int rate, int seconds, int bits, Path tmp)
      throws Exception {
    float[] track = new float[seconds * rate * 2];
    for (int i = 0; i < track.length; i += programme.length) {
      System.arraycopy(programme, 0, track, i, Math.min(programme.length, track.length - i));
    }
    Decoder d =
        new Decoder() {
          final AudioFormat f = new AudioFormat(rate, 2, track.length / 2, "pcm", 0);
          int at;

          @Override
          public AudioFormat format() {
            return f;
          }

          @Override
          public int read(float[] dst, int offset, int maxFrames) {
            int n = Math.min(maxFrames, (track.length - at) / 2);
            if (n <= 0) {
              return -1;
            }
            System.arraycopy(track, at, dst, offset, n * 2);
            at += n * 2;
            return n;
          }

          @Override
          public void seek(long frame) {}

          @Override
          public void close() {}
        };
    long[] out = {0};
    long c;
    if (bits == 0) {
      long c0 = cpu();
      RenderJob.render(d, ChainBench.ALL_ON, List.of(), (x, n) -> out[0] += n);
      c = cpu() - c0;
    } else {
      Path file = tmp.resolve("render-bench.flac");
      try (FileChannel ch =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        long c0 = cpu();
        FlacRenderFile flac = new FlacRenderFile(ch, rate, 2, bits);
        RenderJob.render(
            d,
            ChainBench.ALL_ON,
            List.of(),
            (x, n) -> {
              flac.write(x, n);
              out[0] += n;
            });
        flac.finish();
        c = cpu() - c0;
      } finally {
        Files.deleteIfExists(file);
      }
    }
    if (out[0] != track.length / 2) {
      throw new IllegalStateException("rendered " + out[0] + " frames");
    }
    return seconds * 1e9 / c;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    System.out.printf(
        "load average %.2f, %d s per run, %d runs%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), seconds, runs);
    int rate = 44_100;
    float[] programme = ChainBench.programme(rate, 10);
    for (boolean fade : new boolean[] {false, true}) {
      crossfade(programme, rate, seconds, fade); // warm-up
      double[] r = new double[runs];
      for (int i = 0; i < runs; i++) {
        r[i] = crossfade(programme, rate, seconds, fade);
      }
      System.out.printf(
          "44.1 kHz stereo, %s: CPU %.3f%% of one core%n",
          fade ? "crossfading all along" : "gapless blocks (baseline)", median(r));
    }
    Path tmp = Files.createTempDirectory("shaping-bench");
    // Interleaved so that a change of load hits every variant alike.
    int[] variants = {0, 16, 24};
    double[][] r = new double[variants.length][runs];
    for (int v : variants) {
      render(programme, rate, seconds, v, tmp); // warm-up
    }
    for (int i = 0; i < runs; i++) {
      for (int k = 0; k < variants.length; k++) {
        r[k][i] = render(programme, rate, seconds, variants[k], tmp);
      }
    }
    Files.deleteIfExists(tmp);
    System.out.printf(
        "render, every stage on, 44.1 kHz stereo, no file (chain only): %.1fx real time%n",
        median(r[0]));
    for (int k = 1; k < variants.length; k++) {
      System.out.printf(
          "render to FLAC %d-bit, dithered, same chain: %.1fx real time (%.2f of the chain-only"
              + " speed)%n",
          variants[k], median(r[k]), median(r[k]) / median(r[0]));
    }
    System.out.printf(
        "load average at the end %.2f%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
