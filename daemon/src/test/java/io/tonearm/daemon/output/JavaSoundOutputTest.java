package io.tonearm.daemon.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.audio.AudioEngine;
import io.tonearm.daemon.audio.EngineListener;
import io.tonearm.daemon.audio.Play;
import io.tonearm.daemon.dsp.PcmTap;
import io.tonearm.daemon.testing.SamplesDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import org.junit.jupiter.api.Test;

class JavaSoundOutputTest {

  /** A device that takes these rates (any channel count) and hands out {@code line}. */
  static final class FakeDevice implements JavaSoundOutput.LineSource {
    final Set<Integer> rates;
    final FakeLine line;
    final List<javax.sound.sampled.AudioFormat> asked = new ArrayList<>();

    FakeDevice(FakeLine line, Integer... rates) {
      this.line = line;
      this.rates = Set.of(rates);
    }

    @Override
    public boolean supports(javax.sound.sampled.AudioFormat format) {
      return rates.contains((int) format.getSampleRate());
    }

    @Override
    public SourceDataLine line(javax.sound.sampled.AudioFormat format)
        throws LineUnavailableException {
      asked.add(format);
      if (!supports(format)) {
        throw new IllegalArgumentException("unsupported format " + format);
      }
      return line;
    }
  }

  private static JavaSoundOutput output(FakeDevice d) {
    return new JavaSoundOutput(d, "fake device");
  }

  @Test
  void writesSixteenBitLittleEndianSymmetricWithTheDecodersAndClipped() throws Exception {
    FakeLine line = new FakeLine();
    JavaSoundOutput out = output(new FakeDevice(line, 44_100));
    out.open(44_100, 2);
    assertTrue(out.isOpen());
    assertTrue(line.isRunning(), "started on open");
    assertEquals(44_100 * 2 * 2 / 5, line.bufferSize(), "200 ms of buffer");
    out.write(new float[] {9f, 0.5f, -0.5f, 1f, -1f, -3f}, 2, 2);
    ByteBuffer got = ByteBuffer.wrap(line.received()).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(8, got.remaining());
    assertEquals(-16384, got.getShort(0), "s * 32768, as the decoders read v / 32768");
    assertEquals(32767, got.getShort(2), "1.0 clipped to the largest word");
    assertEquals(-32768, got.getShort(4), "-1.0 is the most negative word");
    assertEquals(-32768, got.getShort(6), "clipped to full scale");
    assertEquals(2, out.framesWritten());
  }

  @Test
  void theWriterIsToldToComeBackWhenHalfTheBufferIsFree() throws Exception {
    FakeLine line = new FakeLine();
    JavaSoundOutput out = output(new FakeDevice(line, 48_000));
    out.open(48_000, 2);
    assertEquals(0, out.nanosUntilWritable(960));
    int buffer = 48_000 / 5; // frames in 200 ms
    out.write(new float[buffer * 2], 0, buffer);
    // Full: half the buffer (100 ms) must play before the next write.
    assertEquals(100_000_000L, out.nanosUntilWritable(960));
    line.setPosition(buffer / 4); // 50 ms free: room for a 20 ms block, not for a 100 ms one
    assertEquals(0, out.nanosUntilWritable(960));
    assertEquals(50_000_000L, out.nanosUntilWritable(4800));
    line.setPosition(buffer);
    assertEquals(0, out.nanosUntilWritable(960));
  }

  @Test
  void writesLongerThanOneChunkArriveWhole() throws Exception {
    FakeLine line = new FakeLine();
    JavaSoundOutput out = new JavaSoundOutput(new FakeDevice(line, 48_000), "fake", false);
    out.open(48_000, 1);
    float[] ramp = new float[10_000];
    for (int i = 0; i < ramp.length; i++) {
      ramp[i] = (i % 2000) / 4000f;
    }
    out.write(ramp, 0, ramp.length);
    ByteBuffer got = ByteBuffer.wrap(line.received()).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(20_000, got.remaining());
    for (int i = 0; i < ramp.length; i++) {
      assertEquals((int) Math.rint(ramp[i] * 32768.0), got.getShort(2 * i), "frame " + i);
    }
  }

  @Test
  void theClockIsTheLinesPositionAndFlushPauseDrainKeepItTrue() throws Exception {
    FakeLine line = new FakeLine();
    JavaSoundOutput out = output(new FakeDevice(line, 8000));
    out.open(8000, 1);
    out.write(new float[1000], 0, 1000);
    line.setPosition(300);
    assertEquals(300, out.framesPlayed());
    assertEquals(700 * 1_000_000L / 8000, out.latencyMicros());
    out.pause();
    assertFalse(line.isRunning());
    out.resume();
    assertTrue(line.isRunning());
    out.flush(); // the 700 frames not yet heard are gone: played = written
    assertEquals(1, line.flushes);
    assertEquals(300, out.framesWritten());
    assertEquals(300, out.framesPlayed());
    assertEquals(0, out.latencyMicros());
    out.write(new float[100], 0, 100);
    assertEquals(400, out.framesWritten());
    assertEquals(300, out.framesPlayed());
    line.setPosition(350);
    assertEquals(350, out.framesPlayed());
    line.setPosition(10_000); // a device counting past what it was given is capped
    assertEquals(400, out.framesPlayed());
    line.setPosition(350);
    out.drain();
    assertEquals(1, line.drains);
    assertEquals(out.framesWritten(), out.framesPlayed());
    out.close();
    assertFalse(out.isOpen());
    assertFalse(line.isOpen());
  }

  @Test
  void aRateTheDeviceLacksFallsBackToTheNearestItTakesAtOrAbove() {
    JavaSoundOutput both = output(new FakeDevice(new FakeLine(), 48_000, 96_000));
    assertEquals(48_000, both.rateFor(48_000, 2));
    assertEquals(48_000, both.rateFor(44_100, 2));
    assertEquals(96_000, both.rateFor(88_200, 2));
    assertEquals(96_000, both.rateFor(192_000, 2), "nothing above: the highest below");
    assertEquals(48_000, both.rateFor(8000, 1));
    JavaSoundOutput none = output(new FakeDevice(new FakeLine()));
    assertEquals(44_100, none.rateFor(44_100, 2), "nothing offered: ask anyway, open says why");
  }

  @Test
  void aLineThatWillNotOpenIsAnOutputExceptionAndStaysClosed() {
    FakeLine line = new FakeLine().refuseOpen();
    JavaSoundOutput out = output(new FakeDevice(line, 44_100));
    OutputException e = assertThrows(OutputException.class, () -> out.open(44_100, 2));
    assertTrue(e.getMessage().contains("device busy"), e.getMessage());
    assertTrue(e.getMessage().contains("44100 Hz"), e.getMessage());
    assertFalse(out.isOpen());
    assertThrows(OutputException.class, () -> out.write(new float[2], 0, 1));
    JavaSoundOutput wrongRate = output(new FakeDevice(new FakeLine(), 48_000));
    assertThrows(OutputException.class, () -> wrongRate.open(44_100, 2));
  }

  @Test
  void aLineClosedUnderneathFailsTheWrite() throws Exception {
    FakeLine line = new FakeLine().closeAfter(400);
    JavaSoundOutput out = output(new FakeDevice(line, 8000));
    out.open(8000, 1);
    OutputException e =
        assertThrows(OutputException.class, () -> out.write(new float[1000], 0, 1000));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertFalse(out.isOpen());
  }

  @Test
  void whenTheDeviceRefusesTheEngineReportsItAndPlaysOnTheFallbackClock() throws Exception {
    LinkedBlockingQueue<String> reports = new LinkedBlockingQueue<>();
    EngineListener listener =
        new EngineListener() {
          @Override
          public void decoderAdvanced(Play from, Play to) {}

          @Override
          public void playFailed(Play play, String reason) {}

          @Override
          public void playStarted(Play play, long itemFrame, long heardMicros) {
            reports.add("started");
          }

          @Override
          public void endOfStream(long generation) {}

          @Override
          public void outputFailed(String outputId, String reason) {
            reports.add("failed " + outputId + ": " + reason);
          }
        };
    JavaSoundOutput out = output(new FakeDevice(new FakeLine().refuseOpen(), 44_100));
    try (AudioEngine engine = new AudioEngine(PcmTap.NONE, listener, 1f)) {
      engine.start();
      engine.setOutputs(List.of(out)).get();
      engine.load(new Play(1, "a", 1f), new SamplesDecoder(new float[44_100 * 2], 44_100, 2), 0);
      String failed = reports.poll(10, TimeUnit.SECONDS);
      assertTrue(failed != null && failed.startsWith("failed javasound: "), failed);
      assertTrue(failed.contains("device busy"), failed);
      assertEquals("started", reports.poll(10, TimeUnit.SECONDS));
      assertEquals("fallback", engine.clockOutput().id());
      assertFalse(out.isOpen());
    }
  }

  @Test
  void javaSoundIsAskedUnlessLinuxHasNoAlsaCardAndNoAlsaConfiguration() {
    String card =
        " 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n                      HDA Intel PCH\n";
    assertFalse(JavaSoundOutput.alsaMayHaveDevice("Linux", null, false), "no ALSA in the kernel");
    assertFalse(
        JavaSoundOutput.alsaMayHaveDevice("Linux", "--- no soundcards ---\n", false), "no card");
    assertTrue(JavaSoundOutput.alsaMayHaveDevice("Linux", card, false), "a card");
    assertTrue(
        JavaSoundOutput.alsaMayHaveDevice("Linux", null, true), "an ALSA configuration (pulse)");
    assertTrue(JavaSoundOutput.alsaMayHaveDevice("Mac OS X", null, false));
    assertTrue(JavaSoundOutput.alsaMayHaveDevice("Windows 11", null, false));
  }
}
