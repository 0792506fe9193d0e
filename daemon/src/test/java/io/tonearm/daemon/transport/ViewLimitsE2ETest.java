package io.tonearm.daemon.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.Daemon;
import io.tonearm.daemon.events.FrameStreams;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.daemon.testing.WsProbe;
import io.tonearm.daemon.transport.ws.WsHandler;
import io.tonearm.proto.v1.ChannelSelect;
import io.tonearm.proto.v1.ClientMessage;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.SpectrumView;
import io.tonearm.proto.v1.SpectrumWindow;
import io.tonearm.proto.v1.Subscribe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounds on analysis views: distinct views per connection and the daemon-wide render cost. */
class ViewLimitsE2ETest {

  @TempDir Path dir;
  private Daemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  /** A spectrum view of {@code size} points; {@code i} picks one of 15 distinct channel/windows. */
  private static FrameView spectrum(int size, int fps, int i) {
    return FrameView.newBuilder()
        .setTopic("spectrum")
        .setFps(fps)
        .setSpectrum(
            SpectrumView.newBuilder()
                .setSize(size)
                .setChannel(ChannelSelect.forNumber(1 + i % 5))
                .setWindow(SpectrumWindow.forNumber(1 + i / 5)))
        .build();
  }

  private static Envelope subscribe(WsProbe ws, String id, List<FrameView> views)
      throws InterruptedException {
    ws.send(
        ClientMessage.newBuilder()
            .setRequestId(id)
            .setSubscribe(Subscribe.newBuilder().addAllViews(views))
            .build());
    return ws.nextWhere(e -> e.hasAck() || e.hasError());
  }

  @Test
  void aConnectionHoldsAtMostSixteenDistinctViews() throws Exception {
    daemon = TestDaemons.settled(TestDaemons.quiet(dir));
    assertEquals(16, WsHandler.MAX_VIEWS_PER_CONNECTION);
    try (WsProbe ws = WsProbe.connect(daemon.port(), "")) {
      ws.next();
      List<FrameView> views = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        views.add(spectrum(256, 1 + i, 0));
      }
      Envelope ack = subscribe(ws, "a", views);
      assertEquals(12, ack.getAck().getStreamsCount());
      List<FrameView> more = new ArrayList<>();
      for (int i = 12; i < 17; i++) {
        more.add(spectrum(256, 1 + i, 0));
      }
      more.add(views.get(0)); // one it holds already: not a new view
      Envelope refused = subscribe(ws, "b", more);
      assertEquals("too_many_views", refused.getError().getCode(), refused.toString());
      assertEquals("b", refused.getError().getRequestId());
      assertTrue(refused.getError().getMessage().contains("at most 16"));
      assertEquals(12, daemon.frames().activeStreams(), "nothing joined by the refused subscribe");
      Envelope fits = subscribe(ws, "c", more.subList(1, 6));
      assertEquals(16, fits.getAck().getStreamsCount(), fits.toString());
    }
  }

  @Test
  void newViewsPastTheRenderBudgetAreRefusedWhileSharedOnesCostNothing() throws Exception {
    daemon = TestDaemons.settled(TestDaemons.quiet(dir));
    long perView = 32768L * 120;
    long max = daemon.frames().maxRenderCost();
    assertEquals(FrameStreams.DEFAULT_MAX_RENDER_COST, max);
    int fit = (int) (max / perView); // 8
    try (WsProbe a = WsProbe.connect(daemon.port(), "");
        WsProbe b = WsProbe.connect(daemon.port(), "")) {
      a.next();
      b.next();
      List<FrameView> views = new ArrayList<>();
      for (int i = 0; i < fit; i++) {
        views.add(spectrum(32768, 120, i));
      }
      assertEquals(fit, subscribe(a, "a", views).getAck().getStreamsCount());
      assertEquals(fit * perView, daemon.frames().renderCost());

      Envelope refused = subscribe(b, "b", List.of(spectrum(32768, 120, fit)));
      assertEquals("render_budget", refused.getError().getCode(), refused.toString());
      assertTrue(refused.getError().getMessage().contains("of at most " + max));
      assertEquals(fit * perView, daemon.frames().renderCost());

      Envelope shared = subscribe(b, "s", List.of(views.get(0)));
      assertEquals(1, shared.getAck().getStreamsCount(), "a running view is shared at no cost");
      assertEquals(fit * perView, daemon.frames().renderCost());
      String metrics = TestDaemons.get(daemon.port(), "/metrics").body();
      assertTrue(metrics.contains("tonearm_frame_render_cost " + (double) (fit * perView)));
      assertTrue(metrics.contains("tonearm_frame_render_cost_max " + (double) max), metrics);
      assertTrue(metrics.contains("tonearm_ws_views_per_connection_max 16.0"));

      a.close(); // a's views but the shared one stop, and free their cost
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (daemon.frames().renderCost() != perView && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(perView, daemon.frames().renderCost());
      Envelope now = subscribe(b, "n", List.of(spectrum(32768, 120, fit)));
      assertEquals(2, now.getAck().getStreamsCount(), now.toString());
    }
  }
}
