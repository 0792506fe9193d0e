package io.tonearm.daemon.settings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.audio.AudioEngine;
import io.tonearm.daemon.audio.EngineListener;
import io.tonearm.daemon.audio.Play;
import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.decode.FlacDecoder;
import io.tonearm.daemon.dsp.Enhancement;
import io.tonearm.daemon.dsp.EnhancementSettings;
import io.tonearm.daemon.dsp.EqBand;
import io.tonearm.daemon.dsp.FilterType;
import io.tonearm.daemon.jobs.JobCancelledException;
import io.tonearm.daemon.jobs.JobContext;
import io.tonearm.daemon.output.ManualOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderJobTest {

  private static final int RATE = 44_100;

  @TempDir Path dir;

  /** A loud stereo signal that makes every stage work: two tones and noise near full scale. */
  private Path source() throws Exception {
    int frames = 3 * RATE + 123;
    Random r = new Random(7);
    ByteBuffer b = ByteBuffer.allocate(44 + frames * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x46464952).putInt(36 + frames * 8).putInt(0x45564157);
    b.putInt(0x20746d66).putInt(16).putShort((short) 3).putShort((short) 2);
    b.putInt(RATE).putInt(RATE * 8).putShort((short) 8).putShort((short) 32);
    b.putInt(0x61746164).putInt(frames * 8);
    for (int i = 0; i < frames; i++) {
      double t = (double) i / RATE;
      b.putFloat((float) (0.6 * Math.sin(2 * Math.PI * 80 * t) + 0.2 * r.nextGaussian() * 0.3));
      b.putFloat((float) (0.7 * Math.sin(2 * Math.PI * 3000 * t) + 0.1 * r.nextGaussian()));
    }
    return Files.write(dir.resolve("source.wav"), b.array());
  }

  private static final List<EqBand> MATCH =
      List.of(
          new EqBand(FilterType.PEAKING, 1000, 4, 1.4),
          new EqBand(FilterType.PEAKING, 125, -3, 1.4));

  private static EnhancementSettings loud() {
    return BuiltInPresets.ALL.get("loud").withEnabled(true);
  }

  private static float[] read(Path wav) throws Exception {
    try (Decoder d = Decoders.open(wav)) {
      int ch = d.format().channels();
      float[] all = new float[(int) d.format().frames() * ch];
      int at = 0;
      for (int n; (n = d.read(all, at, Math.min(4096, (all.length - at) / ch))) > 0; ) {
        at += n * ch;
      }
      assertEquals(all.length, at);
      return all;
    }
  }

  private static JobContext context(AtomicLong done, boolean[] cancel) {
    return new JobContext() {
      @Override
      public String id() {
        return "j1";
      }

      @Override
      public void total(long total) {}

      @Override
      public void progress(long d, String item) {
        done.set(d);
      }

      @Override
      public void advance(String item) {}

      @Override
      public void error(String item, String message) {}

      @Override
      public boolean cancelled() {
        return cancel[0];
      }
    };
  }

  @Test
  void theRenderEqualsWhatTheLiveChainPlaysBitForBit() throws Exception {
    Path source = source();
    Path target = dir.resolve("renders/out.wav");
    Files.createDirectories(target.getParent());
    AtomicLong done = new AtomicLong();
    new RenderJob(source, target, loud(), MATCH, -3, RenderFormat.FLOAT_WAV, RenderJob::create)
        .run(context(done, new boolean[1]));
    float[] rendered = read(target);

    // The same track played by the engine through an enhancement chain set the same way.
    Enhancement live = new Enhancement();
    live.apply(loud());
    live.applyMatch(MATCH, -3);
    ManualOutput out = new ManualOutput("m").autoPlay(true);
    CountDownLatch end = new CountDownLatch(1);
    EngineListener listener =
        new EngineListener() {
          @Override
          public void decoderAdvanced(Play from, Play to) {}

          @Override
          public void playFailed(Play play, String reason) {}

          @Override
          public void playStarted(Play play, long itemFrame, long heardMicros) {}

          @Override
          public void endOfStream(long generation) {
            end.countDown();
          }

          @Override
          public void outputFailed(String outputId, String reason) {}
        };
    try (AudioEngine engine =
        new AudioEngine((x, o, f, c, r, p) -> {}, listener, 1f, 0, List.of(live))) {
      engine.start();
      engine.setOutputs(List.of(out)).get();
      engine.load(new Play(1, "a", 1f), Decoders.open(source), 0);
      engine.setNext(1, null, null);
      assertTrue(end.await(30, TimeUnit.SECONDS));
    }
    float[] heard = out.all();
    int latency = live.latencyFrames();
    assertTrue(latency > 0, "the limiter's look-ahead delays the live chain");
    assertEquals(heard.length - latency * 2, rendered.length);
    float[] aligned = java.util.Arrays.copyOfRange(heard, latency * 2, heard.length);
    assertArrayEquals(aligned, rendered, "the render is the live output without its delay");
    assertEquals(rendered.length / 2, done.get());
    assertFalse(java.util.Arrays.equals(rendered, read(source)), "the chain did change the audio");
  }

  @Test
  void aCancelledRenderLeavesNoFileAndTheFolderKeepsTheNewestTwenty() throws Exception {
    Path source = source();
    Path folder = Files.createDirectories(dir.resolve("renders"));
    for (RenderFormat format : RenderFormat.values()) {
      boolean[] cancel = {false};
      AtomicLong done = new AtomicLong();
      JobContext ctx =
          new ForwardingContext(context(done, cancel)) {
            @Override
            public void progress(long d, String item) {
              super.progress(d, item);
              cancel[0] = d > RATE; // cancelled a second in, with a part written
            }
          };
      assertThrows(
          JobCancelledException.class,
          () ->
              new RenderJob(
                      source, folder.resolve("x" + format.extension()), loud(), List.of(), format)
                  .run(ctx),
          format.name());
      assertTrue(done.get() > RATE);
      try (var s = Files.list(folder)) {
        assertEquals(0, s.count(), format + ": neither the render nor its temporary file");
      }
    }
    for (int i = 0; i < 25; i++) {
      Path p =
          Files.write(folder.resolve("r" + i + (i % 2 == 0 ? ".wav" : ".flac")), new byte[] {1});
      Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000L * (i + 1)));
    }
    RenderJob.prune(folder);
    try (var s = Files.list(folder)) {
      List<String> left = s.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(RenderJob.MAX_FILES, left.size());
      assertFalse(left.contains("r4.wav"));
      assertTrue(left.contains("r5.flac"));
    }
  }

  /** A context passing everything to another. */
  private static class ForwardingContext implements JobContext {
    private final JobContext to;

    ForwardingContext(JobContext to) {
      this.to = to;
    }

    @Override
    public String id() {
      return to.id();
    }

    @Override
    public void total(long total) {
      to.total(total);
    }

    @Override
    public void progress(long d, String item) {
      to.progress(d, item);
    }

    @Override
    public void advance(String item) {
      to.advance(item);
    }

    @Override
    public void error(String item, String message) {
      to.error(item, message);
    }

    @Override
    public boolean cancelled() {
      return to.cancelled();
    }
  }

  @Test
  void aFlacRenderIsTheFloatRenderWithinOneAndAHalfStepsAndPassesFlacTest() throws Exception {
    Path source = source();
    Path folder = Files.createDirectories(dir.resolve("renders"));
    Path wav = folder.resolve("f.wav");
    new RenderJob(source, wav, loud(), MATCH, RenderFormat.FLOAT_WAV)
        .run(context(new AtomicLong(), new boolean[1]));
    float[] exact = read(wav);
    for (RenderFormat format : List.of(RenderFormat.FLAC_16, RenderFormat.FLAC_24)) {
      Path flac = folder.resolve(format + ".flac");
      AtomicLong done = new AtomicLong();
      new RenderJob(source, flac, loud(), MATCH, format).run(context(done, new boolean[1]));
      assertEquals(exact.length / 2, done.get());
      float[] got;
      try (FlacDecoder d = FlacDecoder.open(flac)) {
        assertEquals(format.bits(), d.format().bitsPerSample());
        assertEquals(exact.length / 2, d.format().frames(), "STREAMINFO has the length");
        got = read(flac);
      }
      assertEquals(exact.length, got.length);
      double scale = 1 << (format.bits() - 1);
      double worst = 0;
      int differing = 0;
      for (int i = 0; i < exact.length; i++) {
        double word = got[i] * scale;
        if (word >= scale - 1 || word <= -scale) {
          continue; // clipped at full scale: the bound does not hold there
        }
        double err = Math.abs(word - exact[i] * scale);
        worst = Math.max(worst, err);
        differing += err > 0.5 ? 1 : 0;
      }
      assertTrue(worst <= 1.5 + 1e-6, format + ": within ±1 LSB of dither and ½ of rounding");
      assertTrue(differing > exact.length / 10, format + ": dithered, not just rounded");
      flacTest(flac);
    }
  }

  /** {@code flac -t} with warnings as errors: frame CRCs and STREAMINFO's MD5 and length. */
  private static void flacTest(Path flac) throws Exception {
    Path tool = Path.of("/usr/bin/flac");
    if (System.getenv("TONEARM_REQUIRE_FLAC_TOOL") != null) {
      assertTrue(Files.isExecutable(tool), "flac should be installed (TONEARM_REQUIRE_FLAC_TOOL)");
    }
    if (!Files.isExecutable(tool)) {
      return; // the decoder check above stands alone
    }
    Process p =
        new ProcessBuilder(tool.toString(), "-t", "-w", flac.toString())
            .redirectErrorStream(true)
            .start();
    String said = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), said);
    assertTrue(said.contains(": ok"), said);
  }

  /**
   * Dither with the chain bypassed (the render is then the source): the error against a quiet 997
   * Hz sine is TPDF of ±1 LSB plus rounding, mean 0 and variance 1/6 + 1/12 = 1/4 LSB², and does
   * not follow the signal; plain rounding would give 1/12.
   */
  @Test
  void theDitherErrorHasMeanZeroVarianceAQuarterStepAndDoesNotFollowTheSignal() throws Exception {
    int frames = 4 * RATE;
    ByteBuffer b = ByteBuffer.allocate(44 + frames * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x46464952).putInt(36 + frames * 8).putInt(0x45564157);
    b.putInt(0x20746d66).putInt(16).putShort((short) 3).putShort((short) 2);
    b.putInt(RATE).putInt(RATE * 8).putShort((short) 8).putShort((short) 32);
    b.putInt(0x61746164).putInt(frames * 8);
    float[] x = new float[frames * 2];
    for (int i = 0; i < frames * 2; i++) {
      x[i] = (float) (0.0316 * Math.sin(2 * Math.PI * 997 * (i / 2) / RATE + (i % 2)));
      b.putFloat(x[i]);
    }
    Path source = Files.write(dir.resolve("sine.wav"), b.array());
    Path folder = Files.createDirectories(dir.resolve("renders"));
    EnhancementSettings off = loud().withEnabled(false);
    for (RenderFormat format : List.of(RenderFormat.FLAC_16, RenderFormat.FLAC_24)) {
      Path flac = folder.resolve(format + ".flac");
      new RenderJob(source, flac, off, List.of(), format)
          .run(context(new AtomicLong(), new boolean[1]));
      float[] got = read(flac);
      double scale = 1 << (format.bits() - 1);
      double sum = 0;
      double sumSq = 0;
      double cross = 0;
      double signalSq = 0;
      for (int i = 0; i < x.length; i++) {
        double s = x[i] * scale;
        double e = got[i] * scale - s;
        sum += e;
        sumSq += e * e;
        cross += e * s;
        signalSq += s * s;
      }
      double mean = sum / x.length;
      double variance = sumSq / x.length - mean * mean;
      double correlation = cross / Math.sqrt(sumSq * signalSq);
      assertEquals(0, mean, 0.01, format + " mean error, LSB");
      assertEquals(0.25, variance, 0.01, format + " error variance, LSB²");
      assertEquals(0, correlation, 0.01, format + " error against signal");
    }
  }

  @Test
  void aFullDiskFailsTheJobNamingTheFileAndLeavesNothing() throws Exception {
    Path full = Path.of("/dev/full");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(full), "no /dev/full here");
    Path source = source();
    Path folder = Files.createDirectories(dir.resolve("renders"));
    RenderJob job =
        new RenderJob(
            source,
            folder.resolve("song.flac"),
            loud(),
            List.of(),
            0,
            RenderFormat.FLAC_16,
            tmp -> {
              Files.write(tmp, new byte[0]); // the part file exists, as it would on a real disk
              return FileChannel.open(full, StandardOpenOption.WRITE);
            });
    IOException e =
        assertThrows(IOException.class, () -> job.run(context(new AtomicLong(), new boolean[1])));
    assertEquals("cannot write song.flac: No space left on device", e.getMessage());
    try (var s = Files.list(folder)) {
      assertEquals(0, s.count(), "neither the render nor its temporary file");
    }
  }

  @Test
  void anUnwritableFolderFailsTheJobNamingTheFile() throws Exception {
    Path source = source();
    Path notAFolder = Files.write(dir.resolve("renders"), new byte[] {1});
    for (RenderFormat format : RenderFormat.values()) {
      RenderJob job =
          new RenderJob(
              source, notAFolder.resolve("song" + format.extension()), loud(), List.of(), format);
      IOException e =
          assertThrows(IOException.class, () -> job.run(context(new AtomicLong(), new boolean[1])));
      assertTrue(
          e.getMessage().startsWith("cannot write song" + format.extension() + ": "),
          e.getMessage());
      assertTrue(e.getMessage().contains("Not a directory"), e.getMessage());
    }
  }
}
