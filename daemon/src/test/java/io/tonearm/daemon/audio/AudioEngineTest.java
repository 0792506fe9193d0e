package io.tonearm.daemon.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.dsp.PcmTap;
import io.tonearm.daemon.output.ManualOutput;
import io.tonearm.daemon.testing.SineFit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AudioEngineTest {

  @TempDir Path dir;
  AudioEngine engine;
  final LinkedBlockingQueue<String> reports = new LinkedBlockingQueue<>();
  final List<Long> tapFrames = new CopyOnWriteArrayList<>();

  final EngineListener listener =
      new EngineListener() {
        @Override
        public void decoderAdvanced(Play from, Play to) {
          reports.add("advanced " + from.itemId() + ">" + to.itemId());
        }

        @Override
        public void playFailed(Play play, String reason) {
          reports.add("failed " + play.itemId());
        }

        @Override
        public void playStarted(Play play, long itemFrame, long heardMicros) {
          reports.add("started " + play.itemId() + "@" + itemFrame);
        }

        @Override
        public void endOfStream(long generation) {
          reports.add("end " + generation);
        }

        @Override
        public void outputFailed(String outputId, String reason) {
          reports.add("output " + outputId);
        }
      };

  final PcmTap tap =
      (interleaved, offset, frames, channels, sampleRate, presentationMicros) ->
          tapFrames.add((long) frames);

  @AfterEach
  void tearDown() {
    if (engine != null) {
      engine.close();
    }
  }

  private static Path wav(Path file, int rate, float[] samples) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(44 + samples.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x46464952).putInt(36 + samples.length * 4).putInt(0x45564157);
    b.putInt(0x20746d66).putInt(16).putShort((short) 3).putShort((short) 1);
    b.putInt(rate).putInt(rate * 4).putShort((short) 4).putShort((short) 32);
    b.putInt(0x61746164).putInt(samples.length * 4);
    for (float f : samples) {
      b.putFloat(f);
    }
    return Files.write(file, b.array());
  }

  private static float[] ramp(int n, float start) {
    float[] s = new float[n];
    for (int i = 0; i < n; i++) {
      s[i] = start + i * 1e-5f;
    }
    return s;
  }

  private static float[] sine(int n, int rate, double hz, double amp, long startFrame) {
    float[] s = new float[n];
    for (int i = 0; i < n; i++) {
      s[i] = (float) (amp * Math.sin(2 * Math.PI * hz * (startFrame + i) / rate));
    }
    return s;
  }

  /**
   * Waits until the decoder moved on to the next play (only then does it accept the play after);
   * other reports met meanwhile are kept for {@link #nextHeard}.
   */
  private void awaitAdvanced() throws InterruptedException {
    List<String> others = new java.util.ArrayList<>();
    for (String r; !(r = next()).startsWith("advanced"); ) {
      others.add(r);
    }
    heldBack.addAll(others);
  }

  private final java.util.ArrayDeque<String> heldBack = new java.util.ArrayDeque<>();

  /** The next report other than the decoder's "advanced", which comes on its own thread. */
  private String nextHeard() throws InterruptedException {
    if (!heldBack.isEmpty()) {
      return heldBack.poll();
    }
    String r;
    do {
      r = next();
    } while (r.startsWith("advanced"));
    return r;
  }

  /** Frames a 44.1 to 48 kHz conversion gives for {@code n} frames, flushed at the end. */
  private static int at48k(int n) {
    // The Resampler delays by 64 input frames; its flush gives every output frame up to there, and
    // the engine drops the 70 frames of the filter's ramp-in before input frame 0.
    return (int) Math.ceil((n + 64) * 48_000.0 / 44_100) - 70;
  }

  private String next() throws InterruptedException {
    String r = reports.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no report from the engine");
    }
    return r;
  }

  /** A stage that only delays, by {@code delay} frames of one channel. */
  private static final class DelayStage implements io.tonearm.daemon.dsp.Stage {
    final float[] line;
    int pos;

    DelayStage(int delay) {
      line = new float[delay];
    }

    @Override
    public void prepare(int sampleRate, int channels) {
      reset();
    }

    @Override
    public void process(float[] buf, int offset, int frames) {
      for (int i = offset; i < offset + frames; i++) {
        float x = buf[i];
        buf[i] = line[pos];
        line[pos] = x;
        pos = (pos + 1) % line.length;
      }
    }

    @Override
    public int latencyFrames() {
      return line.length;
    }

    @Override
    public void reset() {
      java.util.Arrays.fill(line, 0f);
      pos = 0;
    }
  }

  /** Stem {@code s} of four: its own sine, stereo, at 48 kHz. */
  private static float[] stemSine(int s, int frames) {
    float[] x = new float[frames * 2];
    for (int f = 0; f < frames; f++) {
      x[2 * f] = (float) (0.2 * Math.sin(2 * Math.PI * (110 << s) * f / 48_000.0));
      x[2 * f + 1] = (float) (0.1 * Math.sin(2 * Math.PI * (110 << s) * f / 48_000.0 + s));
    }
    return x;
  }

  private static io.tonearm.daemon.decode.Decoder fourStems(int frames) throws IOException {
    List<io.tonearm.daemon.decode.Decoder> stems = new java.util.ArrayList<>();
    for (int s = 0; s < 4; s++) {
      stems.add(new io.tonearm.daemon.testing.SamplesDecoder(stemSine(s, frames), 48_000, 2, 700));
    }
    return new io.tonearm.daemon.decode.StemSetDecoder(
        stems,
        new io.tonearm.daemon.decode.StemLayout(
            List.of("bass", "drums", "other", "vocals"), List.of(false, false, false, true)));
  }

  @Test
  void aStemSetIsMixedWithItsGainsSampleBySampleAndSeeksExactly() throws Exception {
    int frames = 20_000;
    io.tonearm.daemon.dsp.StemMixer mixer = new io.tonearm.daemon.dsp.StemMixer();
    mixer.apply(
        new io.tonearm.daemon.dsp.MixerSettings(
            0.5f,
            1f,
            java.util.Map.of(
                "drums", new io.tonearm.daemon.dsp.MixerSettings.Strip(0.25f, false, false, 0f),
                "other", new io.tonearm.daemon.dsp.MixerSettings.Strip(1f, true, false, 0f))));
    float[] gain = {1f, 0.25f, 0f, 0.5f};
    float[][] stems = new float[4][];
    for (int s = 0; s < 4; s++) {
      stems[s] = stemSine(s, frames);
    }
    ManualOutput out = new ManualOutput("m").autoPlay(true);
    engine = new AudioEngine(tap, listener, 1f, 0, List.of(), mixer);
    engine.start();
    engine.setOutputs(List.of(out)).get();
    for (long start : new long[] {0, 12_345}) {
      io.tonearm.daemon.decode.Decoder d = fourStems(frames);
      d.seek(start);
      engine.load(new Play(start + 1, "s", 1f), d, start);
      engine.setNext(start + 1, null, null);
      while (!next().equals("end " + engine.generation())) {
        // started, then the end
      }
      float[] got = out.lastSegment();
      assertEquals((frames - start) * 2, got.length);
      for (int f = 0; f < frames - start; f++) {
        for (int c = 0; c < 2; c++) {
          double want = 0;
          for (int s = 0; s < 4; s++) {
            want += gain[s] * stems[s][(int) (start + f) * 2 + c];
          }
          assertEquals(want, got[2 * f + c], 1e-6, "from " + start + ", frame " + f);
        }
      }
    }
  }

  private static float[] constant(int n, float v) {
    float[] s = new float[n];
    java.util.Arrays.fill(s, v);
    return s;
  }

  /** What an equal-power crossfade of {@code a} into {@code b} gives at overlap frame k of L. */
  private static float crossfaded(float a, float b, int k, int length) {
    double angle = (k + 0.5) / length * (Math.PI / 2);
    return b * (float) Math.sin(angle) + a * (float) Math.cos(angle);
  }

  @Test
  void aCrossfadeOfTwoConstantTonesIsTheComputedSumOverTheOverlap() throws Exception {
    Path a = wav(dir.resolve("a.wav"), 8000, constant(8000, 0.5f));
    Path b = wav(dir.resolve("b.wav"), 8000, constant(8000, 0.25f));
    ManualOutput out = new ManualOutput("m").autoPlay(true);
    engine = new AudioEngine(tap, listener, 1f);
    engine.start();
    engine.setOutputs(List.of(out)).get();
    engine.load(new Play(1, "a", 1f), Decoders.open(a), 0);
    engine.setNext(1, new Play(2, "b", 1f), Decoders.open(b), new Transition(0.5, true));
    awaitAdvanced(); // first: nextHeard() would pass over it
    assertEquals("started a@0", nextHeard());
    engine.setNext(2, null, null);
    assertEquals("started b@0", nextHeard());
    assertEquals("end " + engine.generation(), nextHeard());
    float[] all = out.all();
    assertEquals(12_000, all.length, "4000 frames of a, 4000 overlapped, 4000 of b");
    for (int i = 0; i < 12_000; i++) {
      float expected = i < 4000 ? 0.5f : i < 8000 ? crossfaded(0.5f, 0.25f, i - 4000, 4000) : 0.25f;
      assertEquals(expected, all[i], 1e-7, "frame " + i);
    }
  }

  @Test
  void theNextPlayIsHeardFromFrameZeroWhenTheFadeStarts() throws Exception {
    Path a = wav(dir.resolve("a.wav"), 8000, constant(8000, 0.5f));
    Path b = wav(dir.resolve("b.wav"), 8000, constant(8000, 0.25f));
    ManualOutput out = new ManualOutput("m");
    engine = new AudioEngine(tap, listener, 1f);
    engine.start();
    engine.setOutputs(List.of(out)).get();
    engine.load(new Play(1, "a", 1f), Decoders.open(a), 0);
    engine.setNext(1, new Play(2, "b", 1f), Decoders.open(b), new Transition(0.25, true));
    assertEquals("started a@0", nextHeard());
    while (out.framesWritten() < 7000) {
      Thread.sleep(1);
    }
    out.setPlayed(5999);
    assertEquals("a", engine.clock().now().play().itemId());
    out.setPlayed(6000 + 800); // the fade starts 2000 frames before a's end
    assertEquals("started b@0", nextHeard());
    assertEquals("b", engine.clock().now().play().itemId());
    assertEquals(800, engine.clock().now().itemFrame());
  }

  @Test
  void mixRampSumsBothAtFullLevelOverTheOverlap() throws Exception {
    Path a = wav(dir.resolve("a.wav"), 8000, constant(4000, 0.5f));
    Path b = wav(dir.resolve("b.wav"), 8000, constant(4000, 0.25f));
    ManualOutput out = new ManualOutput("m").autoPlay(true);
    engine = new AudioEngine(tap, listener, 1f);
    engine.start();
    engine.setOutputs(List.of(out)).get();
    engine.load(new Play(1, "a", 0.5f), Decoders.open(a), 0);
    engine.setNext(1, new Play(2, "b", 2f), Decoders.open(b), new Transition(0.125, false));
    awaitAdvanced();
    engine.setNext(2, null, null);
    while (!nextHeard().startsWith("end")) {
      // started a, started b
    }
    float[] all = out.all();
    assertEquals(7000, all.length);
    for (int i = 0; i < 7000; i++) {
      // each play's own (ReplayGain) factor applies to it alone
      float expected = i < 3000 ? 0.25f : i < 4000 ? 0.25f + 0.5f : 0.5f;
      assertEquals(expected, all[i], 1e-7, "frame " + i);
    }
  }

  @Test
  void theOverlapIsAtMostHalfOfTheShorterItemAndNoneWithoutAKnownFormatMatch() throws Exception {
    Path a = wav(dir.resolve("a.wav"), 8000, constant(8000, 0.5f));
    Path b = wav(dir.resolve("b.wav"), 8000, constant(1000, 0.25f));
    Path c = wav(dir.resolve("c.wav"), 16_000, constant(1000, 0.125f));
    ManualOutput out = new ManualOutput("m").autoPlay(true);
    engine = new AudioEngine(tap, listener, 1f);
    engine.start();
    engine.setOutputs(List.of(out)).get();
    engine.load(new Play(1, "a", 1f), Decoders.open(a), 0);
    engine.setNext(1, new Play(2, "b", 1f), Decoders.open(b), new Transition(5, true));
    awaitAdvanced();
    engine.setNext(2, new Play(3, "c", 1f), Decoders.open(c), new Transition(5, true));
    awaitAdvanced();
    engine.setNext(3, null, null);
    while (!nextHeard().startsWith("end")) {
      // the three starts
    }
    float[] first = out.all();
    // a (8000) overlapped by 500 frames (half of b), then b's other 500, gapless into c.
    assertEquals(9500, first.length);
    assertEquals(0.5f, first[7499]);
    assertEquals(crossfaded(0.5f, 0.25f, 0, 500), first[7500], 1e-7);
    assertEquals(0.25f, first[8499], 1e-7);
  }

  @Test
  void aLoadDuringTheFadeDropsTheOutgoingPlay() throws Exception {
    Path a = wav(dir.resolve("a.wav"), 8000, constant(20_000, 0.5f));
    Path b = wav(dir.resolve("b.wav"), 8000, constant(20_000, 0.25f));
    ManualOutput out = new ManualOutput("m").holdWrites();
    engine = new AudioEngine(tap, listener, 1f);
    engine.start();
    engine.setOutputs(List.of(out)).get();
    engine.load(new Play(1, "a", 1f), Decoders.open(a), 0);
    engine.setNext(1, new Play(2, "b", 1f), Decoders.open(b), new Transition(1, true));
    awaitAdvanced(); // the fade started at a's frame 12000; the pipe holds 16000 frames
    while (engine.pipeBlocks() < AudioEngine.PIPE_BLOCKS) {
      Thread.sleep(1);
    }
    var d = Decoders.open(b);
    d.seek(4000);
    engine.load(new Play(3, "b", 1f), d, 4000); // a seek in b while a still fades out
    engine.setNext(3, null, null);
    out.autoPlay(true);
    out.releaseWrites();
    while (!nextHeard().equals("end " + engine.generation())) {
      // started b@4000 (and the a that was being written when held)
    }
    float[] last = out.lastSegment();
    assertEquals(16_000, last.length);
    for (int i = 0; i < last.length; i++) {
      assertEquals(0.25f, last[i], "frame " + i + " after the seek is b alone at full level");
    }
  }

  @Test
  void aChainStagesLatencyIsPlayedOutAtTheEndAndCountedInTheStart() throws Exception {
    Path a = wav(dir.resolve("a.wav"), 8000, ramp(5000, 0.1f));
    ManualOutput out = new ManualOutput("m").autoPlay(true);
    engine = new AudioEngine(tap, listener, 1f, 0, List.of(new DelayStage(100)));
    engine.start();
    engine.setOutputs(List.of(out)).get();
    engine.load(new Play(1, "a", 1f), Decoders.open(a), 0);
    engine.setNext(1, null, null);
    assertEquals("started a@0", nextHeard());
    assertEquals(100, engine.clock().anchor.get().outputFrame(), "item frame 0 is heard at 100");
    assertEquals("end " + engine.generation(), nextHeard());
    float[] all = out.all();
    float[] expected = new float[5100];
    System.arraycopy(ramp(5000, 0.1f), 0, expected, 100, 5000);
    assertArrayEquals(expected, all, "the delayed item, its last 100 frames played out");
  }

  @Test
  void aRateChangeBetweenItemsReopensTheOutputAfterTheFirstPlaysOut() throws Exception {
    Path a = wav(dir.resolve("a.wav"), 44_100, ramp(5000, 0f));
    Path b = wav(dir.resolve("b.wav"), 48_000, ramp(7000, 0.1f));
    ManualOutput out = new ManualOutput("m").autoPlay(true);
    engine = new AudioEngine(tap, listener, 1f);
    engine.start();
    engine.setOutputs(List.of(out)).get();
    Play pa = new Play(1, "a", 1f);
    Play pb = new Play(2, "b", 1f);
    engine.load(pa, Decoders.open(a), 0);
    engine.setNext(1, pb, Decoders.open(b));
    List<String> seen = new java.util.ArrayList<>();
    while (!seen.contains("advanced a>b")) {
      seen.add(next()); // the decoder thread and the output thread report independently
    }
    engine.setNext(2, null, null);
    while (!seen.contains("end " + engine.generation())) {
      seen.add(next());
    }
    assertEquals(
        List.of("started a@0", "started b@0", "end " + engine.generation()),
        seen.stream().filter(r -> !r.startsWith("advanced")).toList());
    assertEquals(2, out.opens());
    assertEquals(48_000, out.sampleRate());
    assertArrayEquals(ramp(7000, 0.1f), out.lastSegment());
    assertEquals(12_000L, tapFrames.stream().mapToLong(Long::longValue).sum());
  }

  @ParameterizedTest
  @ValueSource(strings = {"wav", "aiff", "flac", "mp3", "ogg", "opus"})
  void gaplessPairComesOutOfTheOutputAsOneSine(String ext) throws Exception {
    ManualOutput out = new ManualOutput("m").autoPlay(true);
    engine = new AudioEngine(tap, listener, 1f);
    engine.start();
    engine.setOutputs(List.of(out)).get();
    engine.load(new Play(1, "a", 1f), Decoders.open(GaplessJoint.part(ext, 'a')), 0);
    engine.setNext(1, new Play(2, "b", 1f), Decoders.open(GaplessJoint.part(ext, 'b')));
    List<String> seen = new java.util.ArrayList<>();
    while (!seen.contains("advanced a>b")) {
      seen.add(next());
    }
    engine.setNext(2, null, null);
    while (!seen.contains("end " + engine.generation())) {
      seen.add(next());
    }
    assertEquals(
        List.of("started a@0", "started b@0", "end " + engine.generation()),
        seen.stream().filter(r -> !r.startsWith("advanced")).toList());
    assertEquals(1, out.opens(), "one format: the output is never reopened at the joint");
    GaplessJoint.assertJoined(ext, out.all());
  }

  @Test
  void whenEveryOutputFailsTheFallbackClockStillPacesAndCounts() throws Exception {
    Path a = wav(dir.resolve("a.wav"), 8000, ramp(800, 0f)); // 0.1 s
    engine = new AudioEngine(tap, listener, 1f);
    engine.start();
    engine.setOutputs(List.of(new ManualOutput("broken").failOpen(true))).get();
    engine.load(new Play(1, "a", 1f), Decoders.open(a), 0);
    engine.setNext(1, null, null);
    assertEquals("output broken", next());
    assertEquals("started a@0", next());
    assertEquals("end " + engine.generation(), next());
    assertEquals(800, engine.clock().framesPlayed());
    assertEquals(800, engine.clock().now().itemFrame());
    assertTrue(engine.clockOutput().id().equals("fallback"));
  }

  @Test
  void aLoadLandingBetweenTheOutputThreadsGenerationReadAndItsNextBlockIsStillHeard()
      throws Exception {
    // The output thread reads the generation, looks at the clock, then takes the next block. A
    // load in between used to have its first block (which carries the play's start) thrown away
    // as a left-over: the play was never reported heard (a player stuck in LOADING), and on an
    // engine that had never opened its outputs, the next block hit an unset conversion.
    Path a = wav(dir.resolve("a.wav"), 8000, ramp(800, 0f));
    Path b = wav(dir.resolve("b.wav"), 8000, ramp(800, 0.5f));
    ManualOutput out = new ManualOutput("m").autoPlay(true);
    engine = new AudioEngine(tap, listener, 1f);
    engine.start();
    engine.setOutputs(List.of(out)).get();
    engine.load(new Play(1, "a", 1f), Decoders.open(a), 0);
    engine.setNext(1, null, null);
    assertEquals("started a@0", nextHeard());
    assertEquals("end " + engine.generation(), nextHeard());
    out.holdHeardCheck(); // the idle thread looks again within its 1 s backstop
    out.awaitHeldHeardCheck();
    engine.load(new Play(2, "b", 1f), Decoders.open(b), 0);
    engine.setNext(2, null, null);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (engine.blocksQueued() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(1); // until b's first block waits in the pipe
    }
    out.releaseHeardCheck();
    assertEquals("started b@0", nextHeard());
    assertEquals("end " + engine.generation(), nextHeard());
    assertEquals(0.5f, out.lastSegment()[0]);
  }

  @Test
  void aDefectInTheEngineOnTheOutputThreadFailsThePlayAndTheThreadGoesOn() throws Exception {
    // An exception out of the engine's own code on the output thread (here the analysis tap's)
    // used to end the thread: the audio stopped for good while the player said PLAYING.
    java.util.concurrent.atomic.AtomicBoolean broken =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    PcmTap brokenTap =
        (interleaved, offset, frames, channels, sampleRate, presentationMicros) -> {
          if (broken.get()) {
            throw new IllegalStateException("a defect");
          }
          tapFrames.add((long) frames);
        };
    Path a = wav(dir.resolve("a.wav"), 8000, ramp(4000, 0f));
    Path b = wav(dir.resolve("b.wav"), 8000, ramp(800, 0.5f));
    ManualOutput out = new ManualOutput("m").autoPlay(true);
    engine = new AudioEngine(brokenTap, listener, 1f);
    engine.start();
    engine.setOutputs(List.of(out)).get();
    engine.load(new Play(1, "a", 1f), Decoders.open(a), 0);
    engine.setNext(1, null, null);
    List<String> seen = new java.util.ArrayList<>();
    for (String r; !(r = nextHeard()).startsWith("end "); ) {
      seen.add(r);
    }
    assertEquals(1, seen.stream().filter(r -> r.equals("failed a")).count(), seen.toString());
    assertTrue(tapFrames.isEmpty());

    broken.set(false);
    engine.load(new Play(2, "b", 1f), Decoders.open(b), 0);
    engine.setNext(2, null, null);
    assertEquals("started b@0", nextHeard());
    assertEquals("end " + engine.generation(), nextHeard());
    assertEquals(0.5f, out.lastSegment()[0]);
    assertEquals(800, tapFrames.stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void loadFromAFrameStartsThereAndPositionFollowsTheClock() throws Exception {
    Path a = wav(dir.resolve("a.wav"), 8000, ramp(8000, 0f));
    ManualOutput out = new ManualOutput("m");
    engine = new AudioEngine(tap, listener, 1f);
    engine.start();
    engine.setOutputs(List.of(out)).get();
    var d = Decoders.open(a);
    d.seek(2000);
    engine.load(new Play(1, "a", 1f), d, 2000);
    engine.setNext(1, null, null);
    assertEquals(2000, engine.clock().now().itemFrame()); // loaded, not heard yet
    assertEquals("started a@2000", next());
    while (out.framesWritten() < 6000) {
      Thread.sleep(1);
    }
    out.setPlayed(1500);
    assertEquals(3500, engine.clock().now().itemFrame());
    assertEquals(ramp(8000, 0f)[2000], out.lastSegment()[0]);
  }

  @Test
  void enablingAnOutputLeavesTheOthersAloneAndRemovingTheClockRebases() throws Exception {
    Path a = wav(dir.resolve("a.wav"), 8000, ramp(8000, 0f));
    ManualOutput out = new ManualOutput("m");
    io.tonearm.daemon.output.WavFileOutput rec =
        new io.tonearm.daemon.output.WavFileOutput("rec", dir.resolve("rec.wav"));
    engine = new AudioEngine(tap, listener, 1f);
    engine.start();
    engine.setOutputs(List.of(out)).get();
    engine.load(new Play(1, "a", 1f), Decoders.open(a), 0);
    engine.setNext(1, null, null);
    assertEquals("started a@0", next());
    engine.setOutputs(List.of(out, rec)).get();
    assertEquals(1, out.opens());
    assertTrue(rec.isOpen());
    assertEquals("m", engine.clockOutput().id());
    while (out.framesWritten() < 8000) {
      Thread.sleep(1);
    }
    out.setPlayed(3000);
    engine.setPaused(true).get();
    engine.setOutputs(List.of(rec)).get(); // the clock goes: the fallback takes over
    assertEquals("fallback", engine.clockOutput().id());
    // Everything written to the old clock counts as passed: the next frame heard is the next one
    // written.
    assertEquals(8000, engine.clock().now().itemFrame());
  }

  @Test
  void anOutputFailingMidStreamIsSetAsideAndTheFallbackClockTakesOver() throws Exception {
    Path a = wav(dir.resolve("a.wav"), 8000, ramp(1600, 0f)); // 0.2 s
    ManualOutput out = new ManualOutput("m").autoPlay(true).failWriteAfter(400);
    engine = new AudioEngine(tap, listener, 1f);
    engine.start();
    engine.setOutputs(List.of(out)).get();
    engine.load(new Play(1, "a", 1f), Decoders.open(a), 0);
    engine.setNext(1, null, null);
    assertEquals("started a@0", next());
    assertEquals("output m", next());
    assertEquals("end " + engine.generation(), next());
    assertEquals("fallback", engine.clockOutput().id());
    assertEquals(1600, engine.clock().now().itemFrame()); // every frame counted once
  }

  @Test
  void aSineAt44k1ComesOutOfA48kOutputAtTheRightFrequencyLevelAndPhase() throws Exception {
    Path a = wav(dir.resolve("a.wav"), 44_100, sine(44_100, 44_100, 1000, 0.5, 0));
    ManualOutput out = new ManualOutput("m").autoPlay(true);
    engine = new AudioEngine(tap, listener, 1f, 48_000);
    engine.start();
    engine.setOutputs(List.of(out)).get();
    engine.load(new Play(1, "a", 1f), Decoders.open(a), 0);
    engine.setNext(1, null, null);
    assertEquals("started a@0", next());
    assertEquals("end " + engine.generation(), next());
    assertEquals(48_000, out.sampleRate());
    float[] got = out.all();
    assertEquals(48_000, at48k(44_100));
    assertEquals(48_000, got.length, "1 s at 44.1 kHz is 1 s at 48 kHz");
    SineFit fit = new SineFit(got, 1, 0, 2000, 44_000, 1000, 48_000);
    assertTrue(fit.thdNDb < -90, "THD+N " + fit.thdNDb + " dB");
    assertEquals(0.5, fit.amplitude, 0.5 * 0.001, "level within 0.01 dB");
    // Output frame 0 is item frame 70 * 44100 / 48000 - 64 = 0.3125: the ramp-in dropped, rounded.
    double expected = 2 * Math.PI * 1000 * 0.3125 / 44_100;
    assertEquals(0, Math.IEEEremainder(fit.phase - expected, 2 * Math.PI), 1e-3);
    assertEquals((long) got.length, tapFrames.stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void aSineSplitAcrossTwoItemsStaysContinuousAndPositionsMapToItemFrames() throws Exception {
    float[] whole = sine(44_100, 44_100, 1000, 0.5, 0);
    Path a = wav(dir.resolve("a.wav"), 44_100, java.util.Arrays.copyOfRange(whole, 0, 30_000));
    Path b = wav(dir.resolve("b.wav"), 44_100, java.util.Arrays.copyOfRange(whole, 30_000, 44_100));
    ManualOutput out = new ManualOutput("m");
    engine = new AudioEngine(tap, listener, 1f, 48_000);
    engine.start();
    engine.setOutputs(List.of(out)).get();
    Play pa = new Play(1, "a", 1f);
    Play pb = new Play(2, "b", 1f);
    engine.load(pa, Decoders.open(a), 0);
    engine.setNext(1, pb, Decoders.open(b));
    awaitAdvanced();
    engine.setNext(2, null, null);
    while (out.framesWritten() < at48k(44_100)) {
      Thread.sleep(1);
    }
    assertEquals("started a@0", nextHeard()); // output frame 0
    out.setPlayed(24_000);
    PlaybackClock.Position p = engine.clock().now();
    assertEquals(pa, p.play());
    assertEquals(22_050, p.itemFrame(), "0.5 s of output is 0.5 s of the item");
    assertEquals(44_100, p.sampleRate());
    // Item b's frame 0 follows item a's 30000 frames: output frame 30000 * 48000 / 44100 = 32653.1.
    out.setPlayed(32_653);
    assertEquals("started b@0", nextHeard());
    out.setPlayed(32_653 + 4800);
    p = engine.clock().now();
    assertEquals(pb, p.play());
    assertEquals(4410, p.itemFrame());
    out.setPlayed(at48k(44_100));
    assertEquals("end " + engine.generation(), nextHeard());
    assertEquals(1, out.opens());
    assertEquals(1, out.segments(), "no flush, no reopen");
    assertEquals(0, out.drains());
    float[] got = out.all();
    assertEquals(at48k(44_100), got.length);
    SineFit fit = new SineFit(got, 1, 0, 2000, 44_000, 1000, 48_000); // the join is at 32653
    assertTrue(fit.thdNDb < -90, "THD+N across the join " + fit.thdNDb + " dB");
  }

  @Test
  void itemsOfTwoRatesUnderAFixedOutputRateNeitherReopenNorDrainTheOutput() throws Exception {
    Path a = wav(dir.resolve("a.wav"), 44_100, sine(44_100, 44_100, 1000, 0.5, 0));
    Path b = wav(dir.resolve("b.wav"), 48_000, ramp(7000, 0.1f));
    Path c = wav(dir.resolve("c.wav"), 44_100, sine(44_100, 44_100, 1000, 0.5, 0));
    ManualOutput out = new ManualOutput("m").autoPlay(true);
    engine = new AudioEngine(tap, listener, 1f, 48_000);
    engine.start();
    engine.setOutputs(List.of(out)).get();
    engine.load(new Play(1, "a", 1f), Decoders.open(a), 0);
    engine.setNext(1, new Play(2, "b", 1f), Decoders.open(b));
    awaitAdvanced();
    engine.setNext(2, new Play(3, "c", 1f), Decoders.open(c)); // back to 44.1 kHz
    awaitAdvanced();
    engine.setNext(3, null, null);
    assertEquals("started a@0", nextHeard());
    assertEquals("started b@0", nextHeard());
    assertEquals("started c@0", nextHeard());
    assertEquals("end " + engine.generation(), nextHeard());
    assertEquals(1, out.opens());
    assertEquals(1, out.segments());
    assertEquals(0, out.drains());
    float[] got = out.all();
    // a's frames converted (its tail played before b), b's own 48 kHz frames untouched, then c's
    // converted again by a conversion that starts afresh.
    assertEquals(48_000 + 7000 + 48_000, got.length);
    assertArrayEquals(ramp(7000, 0.1f), java.util.Arrays.copyOfRange(got, 48_000, 55_000));
    assertTrue(new SineFit(got, 1, 0, 2000, 44_000, 1000, 48_000).thdNDb < -90);
    float[] cOut = java.util.Arrays.copyOfRange(got, 55_000, got.length);
    SineFit cFit = new SineFit(cOut, 1, 0, 2000, 44_000, 1000, 48_000);
    assertTrue(cFit.thdNDb < -90, "c: " + cFit.thdNDb + " dB");
    assertEquals(0.5, cFit.amplitude, 0.5 * 0.001);
  }

  @Test
  void anOutputOfAFixedRateGetsItsOwnConversionAndStaysOpenWhenTheClockReopens() throws Exception {
    Path a = wav(dir.resolve("a.wav"), 44_100, sine(44_100, 44_100, 1000, 0.5, 0));
    Path b = wav(dir.resolve("b.wav"), 48_000, ramp(7000, 0.1f));
    ManualOutput clockOut = new ManualOutput("m").autoPlay(true);
    ManualOutput fixed = new ManualOutput("s").autoPlay(true).fixedRate(48_000);
    engine = new AudioEngine(tap, listener, 1f);
    engine.start();
    engine.setOutputs(List.of(clockOut, fixed)).get();
    engine.load(new Play(1, "a", 1f), Decoders.open(a), 0);
    engine.setNext(1, new Play(2, "b", 1f), Decoders.open(b));
    awaitAdvanced();
    engine.setNext(2, null, null);
    assertEquals("started a@0", nextHeard());
    assertEquals("started b@0", nextHeard());
    assertEquals("end " + engine.generation(), nextHeard());
    assertEquals(2, clockOut.opens(), "the clock follows the source: 44.1 then 48 kHz");
    assertEquals(1, clockOut.drains());
    assertEquals(44_100, clockOut.all().length - 7000);
    assertArrayEquals(ramp(7000, 0.1f), clockOut.lastSegment());
    assertEquals(1, fixed.opens());
    assertEquals(1, fixed.segments());
    assertEquals(48_000, fixed.sampleRate());
    float[] got = fixed.all();
    assertEquals(at48k(44_100) + 7000, got.length);
    assertTrue(new SineFit(got, 1, 0, 2000, 44_000, 1000, 48_000).thdNDb < -90);
    assertArrayEquals(
        ramp(7000, 0.1f), java.util.Arrays.copyOfRange(got, got.length - 7000, got.length));
    assertEquals("m", engine.clockOutput().id());
  }

  @Test
  void anOutputNobodyListensToIsNotConvertedFor() throws Exception {
    Path a = wav(dir.resolve("a.wav"), 44_100, sine(44_100, 44_100, 1000, 0.5, 0));
    Path b = wav(dir.resolve("b.wav"), 48_000, ramp(7000, 0.1f));
    ManualOutput clockOut = new ManualOutput("m").autoPlay(true);
    ManualOutput fixed = new ManualOutput("s").autoPlay(true).fixedRate(48_000).unlistened(true);
    engine = new AudioEngine(tap, listener, 1f);
    engine.start();
    engine.setOutputs(List.of(clockOut, fixed)).get();
    engine.load(new Play(1, "a", 1f), Decoders.open(a), 0);
    engine.setNext(1, new Play(2, "b", 1f), Decoders.open(b));
    awaitAdvanced();
    engine.setNext(2, null, null);
    assertEquals("started a@0", nextHeard());
    assertEquals("started b@0", nextHeard());
    assertEquals("end " + engine.generation(), nextHeard());
    assertEquals(44_100 + 7000, clockOut.all().length, "the clock got everything");
    // a (44.1 kHz) would have needed converting for the 48 kHz output: skipped; b needs none.
    assertArrayEquals(ramp(7000, 0.1f), fixed.all());
  }

  @Test
  void whenTheClockMovesToAnOutputOfAnotherRateTheEngineRateFollowsIt() throws Exception {
    Path a = wav(dir.resolve("a.wav"), 44_100, sine(88_200, 44_100, 1000, 0.5, 0)); // 2 s
    ManualOutput fast = new ManualOutput("fast").fixedRate(48_000);
    ManualOutput plain = new ManualOutput("plain").autoPlay(true);
    engine = new AudioEngine(tap, listener, 1f);
    engine.start();
    engine.setOutputs(List.of(fast, plain)).get();
    engine.load(new Play(1, "a", 1f), Decoders.open(a), 0);
    engine.setNext(1, null, null);
    while (fast.framesWritten() < 48_000) {
      Thread.sleep(1);
    }
    fast.setPlayed(24_000);
    assertEquals("started a@0", nextHeard());
    assertEquals(22_050, engine.clock().now().itemFrame());
    assertEquals(44_100, plain.sampleRate(), "its own conversion back to the item's rate");
    engine.setPaused(true).get();
    long handedOver = fast.framesWritten();
    engine.setOutputs(List.of(plain)).get(); // the 48 kHz clock goes; plain runs at 44.1 kHz
    assertEquals("plain", engine.clockOutput().id());
    // What the old clock was given counts as heard: the item frame it ends on, at 44.1 kHz.
    long expected = handedOver * 44_100 / 48_000;
    assertEquals(expected, engine.clock().now().itemFrame(), 1);
    assertEquals(44_100, engine.clock().now().sampleRate());
    engine.setPaused(false).get();
    assertEquals("end " + engine.generation(), nextHeard());
    assertEquals(1, plain.opens());
    // Every item frame reached the new clock once, less what the old conversion held (< 2 ms).
    assertEquals(88_200, engine.clock().now().itemFrame(), 100);
  }

  @Test
  void whenTheClockFailsTheNextPacedOutputOfAnotherRateTakesOverAndTheCountHolds()
      throws Exception {
    Path a = wav(dir.resolve("a.wav"), 44_100, sine(44_100, 44_100, 1000, 0.5, 0));
    ManualOutput first = new ManualOutput("first").autoPlay(true).failWriteAfter(20_000);
    ManualOutput second = new ManualOutput("second").autoPlay(true).fixedRate(48_000);
    engine = new AudioEngine(tap, listener, 1f);
    engine.start();
    engine.setOutputs(List.of(first, second)).get();
    engine.load(new Play(1, "a", 1f), Decoders.open(a), 0);
    engine.setNext(1, null, null);
    assertEquals("started a@0", nextHeard());
    assertEquals("output first", nextHeard());
    assertEquals("end " + engine.generation(), nextHeard());
    assertEquals("second", engine.clockOutput().id());
    assertEquals(1, second.opens());
    // The new clock's conversion starts afresh (a splice of under 2 ms) but no time is lost or
    // added.
    assertEquals(48_000, second.all().length, 2);
    assertEquals(44_100, engine.clock().now().itemFrame(), 2);
  }
}
