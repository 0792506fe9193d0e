package io.tonearm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.proto.v1.BandLayout;
import io.tonearm.proto.v1.MeterFrame;
import io.tonearm.proto.v1.SpectrumFrame;
import io.tonearm.proto.v1.SpectrumView;
import io.tonearm.proto.v1.SpectrumWindow;
import io.tonearm.proto.v1.StemMeterFrame;
import io.tonearm.proto.v1.WaveformFrame;
import io.tonearm.proto.v1.WaveformView;
import io.tonearm.proto.v1.Weighting;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Typed frames with view options from the real daemon while it plays a 440 Hz sine. */
class FrameListenerTest {

  @TempDir Path dir;

  @Test
  void spectrumWaveformMetersAndStemMetersArriveTypedWithTheirOptions() throws Exception {
    TestMusic.wav(dir.resolve("sine.wav"), 30);
    Daemon daemon = TestDaemons.settled(TestDaemons.quiet(dir));
    try (TonearmClient client =
        TonearmClient.builder().baseUri(URI.create("http://127.0.0.1:" + daemon.port())).build()) {
      CompletableFuture<SpectrumFrame> spectrum = new CompletableFuture<>();
      CompletableFuture<WaveformFrame> waveform = new CompletableFuture<>();
      CompletableFuture<MeterFrame> meters = new CompletableFuture<>();
      CompletableFuture<StemMeterFrame> stemMeters = new CompletableFuture<>();
      List<FrameViewRequest> views =
          List.of(
              FrameViewRequest.spectrum(
                  30,
                  SpectrumView.newBuilder()
                      .setSize(1024)
                      .setWindow(SpectrumWindow.SPECTRUM_WINDOW_BLACKMAN_HARRIS)
                      .setLayout(BandLayout.BAND_LAYOUT_LOG)
                      .setBandCount(16)
                      .setWeighting(Weighting.WEIGHTING_A)
                      .setSmoothing(0.5f)
                      .build()),
              FrameViewRequest.waveform(30, WaveformView.newBuilder().setColumns(64).build()),
              FrameViewRequest.meters(10),
              FrameViewRequest.stemMeters(10));
      try (EventStream s =
          client.frames(
              views,
              new FrameListener() {
                @Override
                public void onSpectrum(String stream, SpectrumFrame f) {
                  spectrum.complete(f);
                }

                @Override
                public void onWaveform(String stream, WaveformFrame f) {
                  waveform.complete(f);
                }

                @Override
                public void onMeters(String stream, MeterFrame f) {
                  meters.complete(f);
                }

                @Override
                public void onStemMeters(String stream, StemMeterFrame f) {
                  stemMeters.complete(f);
                }
              })) {
        client.queue().replace(List.of("sine.wav"), List.of()).execute();
        client.player().play().execute();
        SpectrumFrame sf = spectrum.get(20, TimeUnit.SECONDS);
        assertEquals(16, sf.getValues().getF32Count());
        assertEquals(16, sf.getCenterHzCount());
        assertEquals(64, waveform.get(20, TimeUnit.SECONDS).getMax().getF32Count());
        assertTrue(meters.get(20, TimeUnit.SECONDS).getChannelsCount() == 1);
        StemMeterFrame sm = stemMeters.get(20, TimeUnit.SECONDS);
        assertEquals(0, sm.getStemsCount(), "an ordinary track: the mix only");
        assertEquals(1, sm.getMix().getChannelsCount());
      }
      assertTrue(
          org.junit.jupiter.api.Assertions.assertThrows(
                  IllegalArgumentException.class,
                  () ->
                      FrameViewRequest.spectrum(
                          30, SpectrumView.newBuilder().setSize(1000).build()))
              .getMessage()
              .contains("power of two"));
    } finally {
      daemon.close();
    }
  }
}
