package io.tonearm.daemon.mixer;

import static io.tonearm.daemon.testing.TestDaemons.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.daemon.testing.TestTones;
import io.tonearm.daemon.testing.WsProbe;
import io.tonearm.proto.v1.ChannelLevels;
import io.tonearm.proto.v1.ClientMessage;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.StemLevels;
import io.tonearm.proto.v1.StemMeterFrame;
import io.tonearm.proto.v1.Subscribe;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stem set of known levels (vocals a 1 kHz sine at -6 dBFS, drums silent) played by a daemon on
 * port 0, its per-stem meter frames read by a real WebSocket client.
 */
class StemMetersE2ETest {

  private static final int RATE = TestTones.RATE;

  @TempDir Path dir;

  @Test
  void eachStemReadsItsOwnLevelStampedToTheOutputClock() throws Exception {
    Path set = dir.resolve("Karaoke.stems");
    TestTones.wav(set.resolve("vocals.wav"), Math.pow(10, -6 / 20.0), 20);
    TestTones.wav(set.resolve("drums.wav"), 0, 20);
    try (Daemon d = TestDaemons.settled(TestDaemons.quiet(dir));
        WsProbe ws = WsProbe.connect(d.port(), "")) {
      ws.next(); // hello
      ws.send(
          ClientMessage.newBuilder()
              .setRequestId("m")
              .setSubscribe(
                  Subscribe.newBuilder()
                      .addViews(FrameView.newBuilder().setTopic("stem_meters").setFps(30)))
              .build());
      Envelope ack = ws.nextWhere(Envelope::hasAck);
      assertEquals(1, ack.getAck().getStreamsCount(), ack.toString());
      assertEquals(
          200,
          post(d.port(), "/api/v1/queue/append", "{\"paths\": [\"Karaoke.stems\"]}").statusCode());
      assertEquals(200, post(d.port(), "/api/v1/player/play", "{}").statusCode());

      // Once the 300 ms RMS has settled, the vocals read a -6 dBFS sine and the drums silence.
      Envelope e =
          ws.nextWhere(
              x ->
                  x.hasStemMeters()
                      && x.getStemMeters().getStemsCount() == 2
                      && x.getStemMeters().getStems(1).getChannels(0).getRmsDbfs() > -9.2);
      StemMeterFrame f = e.getStemMeters();
      assertEquals(ack.getAck().getStreams(0).getStream(), e.getStream());
      assertEquals(RATE, f.getSampleRate());
      long skew = f.getPresentationUs() - e.getServerTimeUs();
      assertTrue(skew <= 0 && skew > -200_000, "stamped with what is heard now: " + skew);
      StemLevels drums = f.getStems(0); // stems in name order without a manifest
      StemLevels vocals = f.getStems(1);
      assertEquals("drums", drums.getName());
      assertEquals("vocals", vocals.getName());
      assertTrue(vocals.getVocal());
      for (ChannelLevels c : vocals.getChannelsList()) {
        assertEquals(-6.0, c.getSamplePeakDbfs(), 0.05);
        assertEquals(-9.01, c.getRmsDbfs(), 0.2);
        assertEquals(-6.0, c.getTruePeakDbtp(), 0.1);
      }
      for (ChannelLevels c : drums.getChannelsList()) {
        assertEquals(-150, c.getSamplePeakDbfs());
        assertEquals(-150, c.getRmsDbfs());
      }
      assertEquals(-150, drums.getShortTermLufs());
      assertEquals(-6.0, f.getMix().getChannels(0).getSamplePeakDbfs(), 0.05);

      // Post-fader: the vocal volume at 50 (-18 dB on the volume curve) moves the vocal stem's
      // meter.
      assertEquals(
          200, post(d.port(), "/api/v1/mixer/volumes", "{\"vocal_volume\": 50}").statusCode());
      Envelope lower =
          ws.nextWhere(
              x ->
                  x.hasStemMeters()
                      && x.getStemMeters().getStemsCount() == 2
                      && x.getStemMeters().getStems(1).getChannels(0).getRmsDbfs() < -26.5);
      assertEquals(
          -27.0, lower.getStemMeters().getStems(1).getChannels(0).getRmsDbfs(), 0.5, "-9 - 18");
    }
  }
}
