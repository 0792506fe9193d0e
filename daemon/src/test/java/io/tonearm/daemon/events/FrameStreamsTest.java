package io.tonearm.daemon.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.SpectrumFrame;
import io.tonearm.proto.v1.SpectrumView;
import io.tonearm.proto.v1.TransportFrame;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FrameStreamsTest {

  /** A source whose frames carry nothing; the stamp is the envelope's server time. */
  private static final FrameSource SOURCE =
      new FrameSource() {
        @Override
        public FrameView normalize(FrameView requested) {
          return requested.toBuilder()
              .setFps(requested.getFps() == 0 ? 30 : requested.getFps())
              .build();
        }

        @Override
        public Envelope.Builder render(FrameView view, long nowMicros) {
          return Envelope.newBuilder().setTransport(TransportFrame.getDefaultInstance());
        }
      };

  @Test
  void aWireSourcesFrameIsProtobufsEncodingOfTheEnvelopeItDescribes() throws Exception {
    WireFrameSource wire =
        new WireFrameSource() {
          @Override
          public FrameView normalize(FrameView requested) {
            return requested.toBuilder().setFps(60).build();
          }

          @Override
          public int renderWire(FrameView view, long nowMicros, FrameBody out) {
            out.int64(SpectrumFrame.PRESENTATION_US_FIELD_NUMBER, nowMicros - 5);
            out.uint32(SpectrumFrame.SAMPLE_RATE_FIELD_NUMBER, 48000);
            float[] v = new float[300]; // a length whose prefixes take two bytes
            for (int i = 0; i < v.length; i++) {
              v[i] = -i * 0.25f;
            }
            out.bytes(SpectrumFrame.VALUES_FIELD_NUMBER, new byte[0], 0);
            out.floats(SpectrumFrame.CENTER_HZ_FIELD_NUMBER, v, v.length);
            return Envelope.SPECTRUM_FIELD_NUMBER;
          }
        };
    List<EncodedEvent> got = new ArrayList<>();
    CountDownLatch two = new CountDownLatch(2);
    try (FrameStreams streams = new FrameStreams("3f2a", () -> 1_700_000_000_123_456L)) {
      streams.register("kitchen", Topic.SPECTRUM, wire);
      streams.addListener(
          (stream, frame) -> {
            synchronized (got) {
              got.add(frame);
            }
            two.countDown();
          });
      FrameStreams.Stream s =
          streams.join("kitchen", FrameView.newBuilder().setTopic("spectrum").build());
      assertTrue(two.await(10, TimeUnit.SECONDS));
      streams.leave(s);
      synchronized (got) {
        EncodedEvent f = got.get(0);
        Envelope e = Envelope.parseFrom(f.binary());
        assertArrayEquals(e.toByteArray(), f.binary());
        assertEquals("3f2a", e.getEpoch());
        assertEquals(0, e.getSeq());
        assertEquals(1_700_000_000_123_456L, e.getServerTimeUs());
        assertEquals(s.id(), e.getStream());
        assertEquals("kitchen", e.getZone());
        assertEquals("kitchen", f.zone());
        assertEquals(e, f.envelope());
        assertEquals(1_700_000_000_123_451L, e.getSpectrum().getPresentationUs());
        assertEquals(48000, e.getSpectrum().getSampleRate());
        assertTrue(e.getSpectrum().hasValues());
        assertEquals(300, e.getSpectrum().getCenterHzCount());
        assertEquals(-74.75f, e.getSpectrum().getCenterHz(299));
        assertTrue(s.frames() >= 2);
      }
    }
  }

  @Test
  void streamsAtDividingRatesShareWakeUpsAndStamps() throws Exception {
    AtomicLong clock = new AtomicLong(); // every reading differs: a shared stamp means one reading
    List<List<String>> batches = new ArrayList<>();
    List<List<Long>> stamps = new ArrayList<>();
    CountDownLatch enough = new CountDownLatch(14);
    try (FrameStreams streams = new FrameStreams("e", clock::incrementAndGet)) {
      streams.register(Topic.TRANSPORT, SOURCE);
      streams.addListener(
          new FrameStreams.Listener() {
            @Override
            public void frame(FrameStreams.Stream stream, EncodedEvent frame) {
              throw new AssertionError("frames come in batches");
            }

            @Override
            public void frames(List<FrameStreams.Stream> s, List<EncodedEvent> f) {
              List<String> ids = new ArrayList<>();
              List<Long> times = new ArrayList<>();
              for (int i = 0; i < s.size(); i++) {
                ids.add(s.get(i).id());
                times.add(f.get(i).envelope().getServerTimeUs());
              }
              synchronized (batches) {
                batches.add(ids);
                stamps.add(times);
              }
              enough.countDown();
            }
          });
      FrameStreams.Stream fast =
          streams.join(FrameView.newBuilder().setTopic("transport").setFps(60).build());
      FrameStreams.Stream slow =
          streams.join(FrameView.newBuilder().setTopic("transport").setFps(30).build());
      assertTrue(enough.await(10, TimeUnit.SECONDS));
      streams.leave(fast);
      streams.leave(slow);
      synchronized (batches) {
        Set<Long> seen = new HashSet<>();
        // The first frame of a stream that joins comes at once, in a wake-up of its own.
        int first = 0;
        while (!batches.get(first).contains(slow.id())) {
          first++;
        }
        assertTrue(first < batches.size() - 4, "too few batches after the slow stream joined");
        for (int i = first + 1; i < batches.size(); i++) {
          List<String> ids = batches.get(i);
          // The 30 fps stream never wakes the ticker on its own: its ticks are the 60 fps ones.
          assertTrue(ids.contains(fast.id()), ids.toString());
          // One clock reading per wake-up, shared by every frame in it.
          assertEquals(1, new HashSet<>(stamps.get(i)).size(), stamps.get(i).toString());
          assertTrue(seen.add(stamps.get(i).get(0)));
        }
        assertTrue(batches.size() >= 14);
      }
    }
  }

  /** A source whose frame cost is the view's spectrum size, rendering empty transport frames. */
  private static final FrameSource SIZED =
      new FrameSource() {
        @Override
        public FrameView normalize(FrameView requested) {
          return requested.toBuilder().setFps(60).build();
        }

        @Override
        public long frameCost(FrameView view) {
          return view.getSpectrum().getSize();
        }

        @Override
        public Envelope.Builder render(FrameView view, long nowMicros) {
          return Envelope.newBuilder().setTransport(TransportFrame.getDefaultInstance());
        }
      };

  private static FrameView sized(int size) {
    return FrameView.newBuilder()
        .setTopic("transport")
        .setSpectrum(SpectrumView.newBuilder().setSize(size))
        .build();
  }

  @Test
  void cheapTicksRunOnTheJoinersLoopAndACostlyStreamMovesThemToTheTickerThread() throws Exception {
    ScheduledExecutorService loop =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "test-loop"));
    List<String> threads = new ArrayList<>(); // per batch: its thread, then the streams in it
    CountDownLatch cheap = new CountDownLatch(5);
    CountDownLatch costly = new CountDownLatch(5);
    String[] costlyId = new String[1];
    try (FrameStreams streams = new FrameStreams("e", () -> 1)) {
      streams.register(Topic.TRANSPORT, SIZED);
      streams.addListener(
          new FrameStreams.Listener() {
            @Override
            public void frame(FrameStreams.Stream stream, EncodedEvent frame) {}

            @Override
            public void frames(List<FrameStreams.Stream> s, List<EncodedEvent> f) {
              StringBuilder b = new StringBuilder(Thread.currentThread().getName());
              boolean withCostly = false;
              for (FrameStreams.Stream x : s) {
                b.append(' ').append(x.id());
                withCostly |= x.id().equals(costlyId[0]);
              }
              synchronized (threads) {
                threads.add(b.toString());
              }
              (withCostly ? costly : cheap).countDown();
            }
          });
      FrameStreams.Stream a = streams.join(ZoneId.DEFAULT, sized(4096), loop);
      assertTrue(cheap.await(10, TimeUnit.SECONDS));
      synchronized (threads) {
        assertTrue(threads.stream().allMatch(t -> t.startsWith("test-loop ")), threads.toString());
        threads.clear();
      }
      // Together past the bound: from its first frame on, every tick runs on the ticker thread.
      FrameStreams.Stream b;
      synchronized (threads) {
        b = streams.join(ZoneId.DEFAULT, sized((int) FrameStreams.LOOP_MAX_TICK_COST), loop);
        costlyId[0] = b.id();
      }
      assertTrue(costly.await(10, TimeUnit.SECONDS));
      streams.leave(a);
      streams.leave(b);
      synchronized (threads) {
        int first = 0;
        while (!threads.get(first).contains(b.id())) {
          assertTrue(threads.get(first).startsWith("test-loop "), threads.get(first));
          first++;
        }
        for (int i = first; i < threads.size(); i++) {
          assertTrue(threads.get(i).startsWith("tonearm-frames "), threads.get(i));
        }
      }
      // Without a loop the ticks run on the ticker thread however cheap.
      CountDownLatch plain = new CountDownLatch(2);
      List<String> names = new ArrayList<>();
      streams.addListener(
          (stream, frame) -> {
            synchronized (names) {
              names.add(Thread.currentThread().getName());
            }
            plain.countDown();
          });
      FrameStreams.Stream c = streams.join(sized(256));
      assertTrue(plain.await(10, TimeUnit.SECONDS));
      streams.leave(c);
      synchronized (names) {
        assertTrue(names.stream().allMatch("tonearm-frames"::equals), names.toString());
      }
    } finally {
      loop.shutdownNow();
    }
  }

  @Test
  void aStreamWatchedByManyTicksOnTheTickerThread() throws Exception {
    ScheduledExecutorService loop =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "test-loop"));
    List<String> names = new ArrayList<>();
    CountDownLatch onLoop = new CountDownLatch(3);
    CountDownLatch onThread = new CountDownLatch(3);
    try (FrameStreams streams = new FrameStreams("e", () -> 1)) {
      streams.register(Topic.TRANSPORT, SIZED);
      streams.addListener(
          (stream, frame) -> {
            String name = Thread.currentThread().getName();
            synchronized (names) {
              names.add(name);
            }
            (name.equals("test-loop") ? onLoop : onThread).countDown();
          });
      List<FrameStreams.Stream> joined = new ArrayList<>();
      for (int i = 0; i < FrameStreams.LOOP_MAX_WATCHERS; i++) {
        joined.add(streams.join(ZoneId.DEFAULT, sized(1024), loop));
      }
      assertTrue(onLoop.await(10, TimeUnit.SECONDS));
      assertEquals(1, streams.activeStreams(), "one stream for one view");
      // One watcher more, of the same cheap stream: the ticks move to the thread.
      joined.add(streams.join(ZoneId.DEFAULT, sized(1024), loop));
      assertTrue(onThread.await(10, TimeUnit.SECONDS));
      joined.forEach(streams::leave);
      synchronized (names) {
        int first = names.indexOf("tonearm-frames");
        assertTrue(
            names.subList(first, names.size()).stream().allMatch("tonearm-frames"::equals),
            names.toString());
      }
    } finally {
      loop.shutdownNow();
    }
  }
}
