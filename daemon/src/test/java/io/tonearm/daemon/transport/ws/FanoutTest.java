package io.tonearm.daemon.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.tonearm.daemon.events.EncodedEvent;
import io.tonearm.daemon.events.EventHub;
import io.tonearm.daemon.events.FrameSource;
import io.tonearm.daemon.events.FrameStreams;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.events.WakeHold;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.FrameView;
import io.tonearm.proto.v1.TransportFrame;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FanoutTest {

  /** A source that never renders: frames are offered by hand. */
  private static final FrameSource SILENT =
      new FrameSource() {
        @Override
        public FrameView normalize(FrameView requested) {
          return requested.toBuilder().setFps(1).build();
        }

        @Override
        public Envelope.Builder render(FrameView view, long nowMicros) {
          return null;
        }
      };

  private static EncodedEvent frame(long n) {
    return new EncodedEvent(
        0,
        Topic.TRANSPORT,
        Envelope.newBuilder()
            .setStream("transport-1")
            .setTransport(TransportFrame.newBuilder().setFramesPlayed(n))
            .build());
  }

  @Test
  void frameReplacedBeforeTheLoopRanCountsOneDropPerWatchingSession() {
    AtomicInteger drops = new AtomicInteger();
    Fanout fanout = new Fanout((s, n) -> drops.addAndGet(n));
    try (FrameStreams streams = new FrameStreams("e", () -> 0)) {
      streams.register(Topic.TRANSPORT, SILENT);
      FrameStreams.Stream s = streams.join(FrameView.newBuilder().setTopic("transport").build());
      EmbeddedChannel ch =
          new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter());
      Fanout.Loop loop = fanout.loop(ch.eventLoop());
      loop.watch(s);
      loop.watch(s);
      loop.watch(s);

      fanout.frame(s, frame(1));
      fanout.frame(s, frame(2)); // replaces frame 1 before the loop ran: lost to all three

      assertEquals(3, drops.get());
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void eventsPublishedInsideAHeldTaskWakeTheLoopsOnlyAfterIt() {
    EventHub hub = new EventHub(16, 1 << 20, () -> 0);
    Fanout fanout = new Fanout((s, n) -> {}, hub.wakes());
    hub.addListener(fanout);
    EmbeddedChannel ch = new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter());
    ch.runPendingTasks();
    started(ch, hub, fanout);
    boolean[] wokenInside = {true};
    hub.holdingWakes(
            () -> {
              hub.publish(Topic.PLAYER, Envelope.newBuilder(), Envelope.newBuilder());
              hub.publish(Topic.PLAYER, Envelope.newBuilder(), Envelope.newBuilder());
              wokenInside[0] = ch.hasPendingTasks();
            })
        .run();
    assertFalse(wokenInside[0], "the loop was woken while the task held its wake-ups");
    assertTrue(ch.hasPendingTasks(), "the loop was not woken after the task");

    ch.runPendingTasks();
    hub.publish(Topic.PLAYER, Envelope.newBuilder(), Envelope.newBuilder());
    assertTrue(ch.hasPendingTasks(), "a publish outside a held task wakes at once");
    ch.finishAndReleaseAll();
  }

  @Test
  void aCommandsEventsWakeNoLoopUntilItsReplyIsWritten() {
    EventHub hub = new EventHub(16, 1 << 20, () -> 0);
    Fanout fanout = new Fanout((s, n) -> {}, hub.wakes());
    hub.addListener(fanout);
    EmbeddedChannel replyLoop =
        new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter());
    EmbeddedChannel otherLoop =
        new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter());
    replyLoop.runPendingTasks();
    otherLoop.runPendingTasks();
    started(replyLoop, hub, fanout);
    started(otherLoop, hub, fanout);
    // As the HTTP edge hands a command to the player: a reply is open while the task is wrapped.
    WakeHold.Reply reply = hub.wakes().open();
    Runnable task =
        hub.holdingWakes(
            () -> hub.publish(Topic.PLAYER, Envelope.newBuilder(), Envelope.newBuilder()));
    reply.stopOpening();
    task.run();
    assertFalse(replyLoop.hasPendingTasks(), "the reply's loop was woken before the reply");
    assertFalse(otherLoop.hasPendingTasks(), "another loop was woken before the reply");

    reply.release(); // the reply is written
    assertTrue(replyLoop.hasPendingTasks(), "the reply's loop was not woken after the reply");
    assertTrue(otherLoop.hasPendingTasks(), "another loop was not woken after the reply");
    replyLoop.finishAndReleaseAll();
    otherLoop.finishAndReleaseAll();
  }

  @Test
  void aStateEventWakesNoLoopWithoutSessions() {
    EventHub hub = new EventHub(16, 1 << 20, () -> 0);
    Fanout fanout = new Fanout((s, n) -> {}, hub.wakes());
    hub.addListener(fanout);
    EmbeddedChannel ch = new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter());
    ch.runPendingTasks();
    fanout.loop(ch.eventLoop()); // a loop whose sessions have all gone, or that never had one

    hub.publish(Topic.PLAYER, Envelope.newBuilder(), Envelope.newBuilder());
    assertFalse(ch.hasPendingTasks(), "a loop without sessions was woken");

    WsSession s = started(ch, hub, fanout);
    hub.publish(Topic.PLAYER, Envelope.newBuilder(), Envelope.newBuilder());
    assertTrue(ch.hasPendingTasks(), "a loop with a session was not woken");
    ch.runPendingTasks();

    s.release();
    hub.publish(Topic.PLAYER, Envelope.newBuilder(), Envelope.newBuilder());
    assertFalse(ch.hasPendingTasks(), "a loop whose last session left was woken");
    ch.finishAndReleaseAll();
  }

  /** A session on {@code ch}'s loop that follows the player topic from now (no frame streams). */
  private static WsSession started(EmbeddedChannel ch, EventHub hub, Fanout f) {
    WsSession s = session(ch, hub, null, f);
    s.startState(
        java.util.EnumSet.of(Topic.PLAYER), hub.start(java.util.Set.of(), s::sees, "", -1));
    return s;
  }

  private static WsSession session(
      EmbeddedChannel ch, EventHub hub, FrameStreams streams, Fanout f) {
    return new WsSession(
        ch,
        "t",
        "default",
        io.tonearm.daemon.access.Principal.LOOPBACK,
        false,
        hub,
        streams,
        f,
        new io.tonearm.daemon.ops.Metrics(),
        1 << 20,
        new java.util.concurrent.atomic.AtomicIntegerArray(Topic.values().length));
  }

  @Test
  void aFrameTickVisitsOnlyTheSessionsWatchingItsStreamAndAStateEventVisitsAll() {
    EventHub hub = new EventHub(16, 1 << 20, () -> 0);
    Fanout fanout = new Fanout((s, n) -> {});
    hub.addListener(fanout);
    try (FrameStreams streams = new FrameStreams("e", () -> 0)) {
      streams.register(Topic.TRANSPORT, SILENT);
      EmbeddedChannel ch =
          new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter());
      WsSession viewer = session(ch, hub, streams, fanout);
      WsSession listener = session(ch, hub, streams, fanout);
      FrameStreams.Stream s = streams.join(FrameView.newBuilder().setTopic("transport").build());
      for (WsSession x : java.util.List.of(viewer, listener)) {
        x.startState(
            java.util.EnumSet.of(Topic.PLAYER), hub.start(java.util.Set.of(), x::sees, "", -1));
      }
      viewer.addStream(s);

      fanout.frame(s, frame(1));
      ch.runPendingTasks();
      assertEquals(1, viewer.drains(), "the viewer is drained for its frame");
      assertEquals(0, listener.drains(), "a session watching nothing is not visited");
      io.netty.buffer.ByteBuf out = ch.readOutbound();
      assertEquals(frame(1).webSocketFrame(false), out.nioBuffer(), "the frame's bytes");
      out.release();

      hub.publish(Topic.PLAYER, Envelope.newBuilder(), Envelope.newBuilder());
      ch.runPendingTasks();
      assertEquals(2, viewer.drains());
      assertEquals(1, listener.drains(), "a state event visits every session");
      viewer.release();
      listener.release();
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aStateEventIsCopiedOncePerPassAndEverySessionWritesADuplicateOfIt() {
    EventHub hub = new EventHub(16, 1 << 20, () -> 0);
    Fanout fanout = new Fanout((s, n) -> {});
    hub.addListener(fanout);
    try (FrameStreams streams = new FrameStreams("e", () -> 0)) {
      EmbeddedChannel ch =
          new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter());
      WsSession a = session(ch, hub, streams, fanout);
      WsSession b = session(ch, hub, streams, fanout);
      for (WsSession x : java.util.List.of(a, b)) {
        x.startState(
            java.util.EnumSet.of(Topic.PLAYER), hub.start(java.util.Set.of(), x::sees, "", -1));
      }
      long seq = hub.publish(Topic.PLAYER, Envelope.newBuilder(), Envelope.newBuilder());
      ch.runPendingTasks();
      io.netty.buffer.ByteBuf first = ch.readOutbound();
      io.netty.buffer.ByteBuf second = ch.readOutbound();
      java.nio.ByteBuffer expected = hub.event(seq).webSocketFrame(false);
      assertEquals(expected, first.nioBuffer(), "the event's bytes");
      assertEquals(expected, second.nioBuffer(), "the event's bytes");
      assertTrue(first.isDirect() && second.isDirect(), "the loop's own copy");
      assertEquals(
          first.memoryAddress() + first.readerIndex(),
          second.memoryAddress() + second.readerIndex(),
          "both writes are duplicates of one buffer");
      assertTrue(
          first.memoryAddress() + first.readerIndex()
              != io.netty.buffer.Unpooled.wrappedBuffer(expected).memoryAddress(),
          "not a view of the event's own frame");
      first.release();
      second.release();
      assertEquals(0, first.refCnt(), "the pass released its own reference");
      a.release();
      b.release();
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aFrameIsCopiedOncePerPassIntoPooledMemoryThatEverySessionShares() {
    EventHub hub = new EventHub(16, 1 << 20, () -> 0);
    Fanout fanout = new Fanout((s, n) -> {});
    hub.addListener(fanout);
    try (FrameStreams streams = new FrameStreams("e", () -> 0)) {
      streams.register(Topic.TRANSPORT, SILENT);
      EmbeddedChannel ch =
          new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter());
      WsSession a = session(ch, hub, streams, fanout);
      WsSession b = session(ch, hub, streams, fanout);
      for (WsSession x : java.util.List.of(a, b)) {
        x.startState(
            java.util.EnumSet.of(Topic.PLAYER), hub.start(java.util.Set.of(), x::sees, "", -1));
      }
      FrameView view = FrameView.newBuilder().setTopic("transport").build();
      FrameStreams.Stream s = streams.join(view);
      a.addStream(s);
      assertEquals(s, streams.join(view), "one stream for the same view");
      b.addStream(s);
      EncodedEvent f = frame(7);
      fanout.frame(s, f);
      ch.runPendingTasks();
      io.netty.buffer.ByteBuf first = ch.readOutbound();
      io.netty.buffer.ByteBuf second = ch.readOutbound();
      assertTrue(
          first.isDirect() && second.isDirect() && !first.isReadOnly(), "the loop's own copy");
      assertEquals(
          first.memoryAddress() + first.readerIndex(),
          second.memoryAddress() + second.readerIndex(),
          "both sessions write the same memory");
      java.nio.ByteBuffer own = f.webSocketFrame(false);
      assertEquals(own, first.nioBuffer(), "the frame's bytes");
      assertTrue(
          first.memoryAddress() + first.readerIndex()
              != io.netty.buffer.Unpooled.wrappedBuffer(own).memoryAddress(),
          "not a view of the event's own frame memory, which the fan-out never made");
      first.release();
      second.release();
      assertEquals(1, first.refCnt(), "the loop keeps it for its next pass");
      fanout.published(f); // a pass without frames
      ch.runPendingTasks();
      assertEquals(0, first.refCnt(), "released by a pass without frames");
      a.release();
      b.release();
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aPassCopiesItsFramesIntoOneBufferThatTheirWritesSlice() {
    EventHub hub = new EventHub(16, 1 << 20, () -> 0);
    Fanout fanout = new Fanout((s, n) -> {});
    hub.addListener(fanout);
    try (FrameStreams streams = new FrameStreams("e", () -> 0)) {
      streams.register(Topic.TRANSPORT, SILENT);
      streams.register(Topic.METERS, SILENT);
      EmbeddedChannel ch =
          new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter());
      WsSession all = session(ch, hub, streams, fanout);
      WsSession one = session(ch, hub, streams, fanout);
      for (WsSession x : java.util.List.of(all, one)) {
        x.startState(
            java.util.EnumSet.of(Topic.PLAYER), hub.start(java.util.Set.of(), x::sees, "", -1));
      }
      FrameStreams.Stream transport =
          streams.join(FrameView.newBuilder().setTopic("transport").build());
      FrameStreams.Stream meters = streams.join(FrameView.newBuilder().setTopic("meters").build());
      all.addStream(transport);
      all.addStream(meters);
      one.addStream(streams.join(FrameView.newBuilder().setTopic("meters").build()));
      EncodedEvent f1 = frame(7);
      EncodedEvent f2 = // over 125 bytes: a four-byte head
          new EncodedEvent(
              0,
              Topic.METERS,
              Envelope.newBuilder()
                  .setStream("meters-2")
                  .setEpoch("e".repeat(200))
                  .setTransport(TransportFrame.newBuilder().setFramesPlayed(8))
                  .build());
      fanout.frames(java.util.List.of(transport, meters), java.util.List.of(f1, f2));
      ch.runPendingTasks();
      io.netty.buffer.ByteBuf a = ch.readOutbound();
      io.netty.buffer.ByteBuf b = ch.readOutbound();
      assertTrue(ch.readOutbound() == null, "one write per session");
      int n1 = f1.webSocketFrameSize(false);
      int n2 = f2.webSocketFrameSize(false);
      io.netty.buffer.ByteBuf whole = a.readableBytes() == n1 + n2 ? a : b;
      io.netty.buffer.ByteBuf slice = whole == a ? b : a;
      assertEquals(n1 + n2, whole.readableBytes(), "the session that takes both: one write");
      java.nio.ByteBuffer bytes = whole.nioBuffer();
      java.nio.ByteBuffer first = bytes.slice(0, n1);
      assertTrue(
          first.equals(f1.webSocketFrame(false))
                  && bytes.slice(n1, n2).equals(f2.webSocketFrame(false))
              || bytes.slice(0, n2).equals(f2.webSocketFrame(false))
                  && bytes.slice(n2, n1).equals(f1.webSocketFrame(false)),
          "both frames' bytes, back to back");
      assertEquals(f2.webSocketFrame(false), slice.nioBuffer(), "the other session: its frame");
      long w = whole.memoryAddress() + whole.readerIndex();
      long s = slice.memoryAddress() + slice.readerIndex();
      assertTrue(s == w || s == w + n1, "its frame is a slice of the same memory");
      whole.release();
      assertTrue(slice.refCnt() > 0, "the buffer lives while a write holds a slice of it");
      slice.release();
      assertEquals(1, slice.refCnt(), "once both are written, only the loop holds it");
      // The next pass overwrites the same memory instead of allocating.
      fanout.frames(java.util.List.of(transport, meters), java.util.List.of(f1, f2));
      ch.runPendingTasks();
      java.util.List<io.netty.buffer.ByteBuf> next =
          java.util.List.of(ch.readOutbound(), ch.readOutbound());
      assertTrue(
          next.stream().anyMatch(x -> x.memoryAddress() + x.readerIndex() == w),
          "the next pass reuses the buffer its writes released");
      // While a write still holds it, the next pass takes new memory.
      fanout.frames(java.util.List.of(transport, meters), java.util.List.of(f1, f2));
      ch.runPendingTasks();
      io.netty.buffer.ByteBuf c = ch.readOutbound();
      io.netty.buffer.ByteBuf d = ch.readOutbound();
      assertTrue(
          c.memoryAddress() + c.readerIndex() != w && d.memoryAddress() + d.readerIndex() != w,
          "not the memory the unreleased writes still read");
      next.forEach(io.netty.buffer.ByteBuf::release);
      assertEquals(0, slice.refCnt(), "the old buffer freed once its last write is released");
      c.release();
      d.release();
      assertEquals(1, c.refCnt(), "the last pass's buffer, kept");
      all.release();
      one.release();
      assertEquals(0, c.refCnt(), "released when the loop's last session leaves");
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aPassFindsEveryFramedEventByIdentityAndReleasesEachFrameOnce() {
    java.util.Random r = new java.util.Random(17);
    Fanout.Framed framed = new Fanout.Framed();
    for (int pass = 0; pass < 300; pass++) {
      // Passes of one or two events, as a rule, and bursts past the scanned few.
      int count = pass % 10 == 0 ? 1 + r.nextInt(60) : 1 + r.nextInt(3);
      java.util.List<EncodedEvent> events = new java.util.ArrayList<>();
      for (int i = 0; i < count; i++) {
        events.add(frame(i % 3)); // equal content, other objects: each its own frame
      }
      java.util.Map<EncodedEvent, io.netty.buffer.ByteBuf> expected =
          new java.util.IdentityHashMap<>();
      for (int ask = 0; ask < 4 * count; ask++) {
        EncodedEvent e = events.get(r.nextInt(events.size()));
        io.netty.buffer.ByteBuf got = framed.get(e);
        assertTrue(got == expected.get(e), "pass " + pass + " ask " + ask);
        if (got == null) {
          io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer(1);
          framed.put(e, b);
          expected.put(e, b);
        }
      }
      assertEquals(expected.size(), framed.size());
      framed.release();
      for (io.netty.buffer.ByteBuf b : expected.values()) {
        assertEquals(0, b.refCnt());
      }
      for (EncodedEvent e : events) {
        assertTrue(framed.get(e) == null, "forgotten at the end of the pass");
      }
    }
  }
}
