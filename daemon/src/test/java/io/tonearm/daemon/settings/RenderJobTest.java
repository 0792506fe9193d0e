package io.tonearm.daemon.settings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.audio.AudioEngine;
import io.tonearm.daemon.audio.EngineListener;
import io.tonearm.daemon.audio.Play;
import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.dsp.Enhancement;
import io.tonearm.daemon.dsp.EnhancementSettings;
import io.tonearm.daemon.dsp.EqBand;
import io.tonearm.daemon.dsp.FilterType;
import io.tonearm.daemon.jobs.JobCancelledException;
import io.tonearm.daemon.jobs.JobContext;
import io.tonearm.daemon.output.ManualOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
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
    new RenderJob(source, target, loud(), MATCH).run(context(done, new boolean[1]));
    float[] rendered = read(target);

    // The same track played by the engine through an enhancement chain set the same way.
    Enhancement live = new Enhancement();
    live.apply(loud());
    live.applyMatch(MATCH);
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
    boolean[] cancel = {true};
    try {
      new RenderJob(source, folder.resolve("x.wav"), loud(), List.of())
          .run(context(new AtomicLong(), cancel));
    } catch (JobCancelledException | java.io.IOException expected) {
      // the job framework marks it cancelled (a decoder stopped mid-read says so as an IOException)
    }
    try (var s = Files.list(folder)) {
      assertEquals(0, s.count(), "neither the render nor its temporary file");
    }
    for (int i = 0; i < 25; i++) {
      Path p = Files.write(folder.resolve("r" + i + ".wav"), new byte[] {1});
      Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000L * (i + 1)));
    }
    RenderJob.prune(folder);
    try (var s = Files.list(folder)) {
      List<String> left = s.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(RenderJob.MAX_FILES, left.size());
      assertFalse(left.contains("r4.wav"));
      assertTrue(left.contains("r5.wav"));
    }
  }
}
