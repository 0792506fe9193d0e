package io.tonearm.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tonearm.client.StreamPosition;
import io.tonearm.proto.v1.Ack;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Hello;
import io.tonearm.proto.v1.PlayerChanged;
import io.tonearm.proto.v1.TransportFrame;
import org.junit.jupiter.api.Test;

class ResumeCursorTest {

  private static Envelope player(String epoch, long seq) {
    return Envelope.newBuilder()
        .setEpoch(epoch)
        .setSeq(seq)
        .setPlayer(PlayerChanged.getDefaultInstance())
        .build();
  }

  private static Hello hello(String epoch, long seq, boolean recovered) {
    return Hello.newBuilder().setEpoch(epoch).setSeq(seq).setRecovered(recovered).build();
  }

  @Test
  void snapshotThenEventsInOrderAndDuplicatesDropped() {
    ResumeCursor c = new ResumeCursor(null);
    assertNull(c.resumeParam());
    c.hello(hello("e1", 5, false));
    assertEquals(ResumeCursor.Kind.SNAPSHOT, c.accept(player("e1", 5)));
    assertEquals(ResumeCursor.Kind.EVENT, c.accept(player("e1", 6)));
    assertEquals(ResumeCursor.Kind.EVENT, c.accept(player("e1", 9)));
    assertEquals(ResumeCursor.Kind.DUPLICATE, c.accept(player("e1", 9)));
    assertEquals(ResumeCursor.Kind.DUPLICATE, c.accept(player("e1", 5)));
    c.snapshotsDone();
    assertEquals("e1:9", c.resumeParam());
  }

  @Test
  void noResumePointUntilASnapshotHellosSnapshotsAreKnownToBeIn() {
    ResumeCursor c = new ResumeCursor(new StreamPosition("old", 9));
    c.hello(hello("e1", 10, false));
    assertEquals(ResumeCursor.Kind.SNAPSHOT, c.accept(player("e1", 10)));
    assertNull(c.resumeParam());
    c.snapshotsDone();
    assertEquals("e1:10", c.resumeParam());
  }

  @Test
  void anEventAfterTheSnapshotsConfirmsThem() {
    ResumeCursor c = new ResumeCursor(null);
    c.hello(hello("e1", 10, false));
    assertEquals(ResumeCursor.Kind.SNAPSHOT, c.accept(player("e1", 10)));
    assertNull(c.resumeParam());
    assertEquals(ResumeCursor.Kind.EVENT, c.accept(player("e1", 11)));
    assertEquals("e1:11", c.resumeParam());
  }

  @Test
  void recoveredReplayDropsWhatWasAlreadyDelivered() {
    ResumeCursor c = new ResumeCursor(new StreamPosition("e1", 7));
    assertEquals("e1:7", c.resumeParam());
    c.hello(hello("e1", 12, true));
    assertEquals(ResumeCursor.Kind.DUPLICATE, c.accept(player("e1", 7)));
    assertEquals(ResumeCursor.Kind.EVENT, c.accept(player("e1", 8)));
    assertEquals(new StreamPosition("e1", 8), c.position());
  }

  @Test
  void newEpochResetsThePosition() {
    ResumeCursor c = new ResumeCursor(new StreamPosition("old", 900));
    c.hello(hello("new", 3, false));
    assertEquals(ResumeCursor.Kind.SNAPSHOT, c.accept(player("new", 3)));
    assertEquals(ResumeCursor.Kind.EVENT, c.accept(player("new", 4)));
    assertEquals(ResumeCursor.Kind.DUPLICATE, c.accept(player("old", 901)));
    c.snapshotsDone();
    assertEquals("new:4", c.resumeParam());
  }

  @Test
  void framesAndControlAreNotSequenced() {
    ResumeCursor c = new ResumeCursor(null);
    c.hello(hello("e1", 0, false));
    Envelope frame =
        Envelope.newBuilder()
            .setEpoch("e1")
            .setStream("transport-1")
            .setTransport(TransportFrame.getDefaultInstance())
            .build();
    assertEquals(ResumeCursor.Kind.FRAME, c.accept(frame));
    assertEquals(
        ResumeCursor.Kind.CONTROL,
        c.accept(Envelope.newBuilder().setAck(Ack.getDefaultInstance()).build()));
    assertEquals(new StreamPosition("e1", 0), c.position());
  }
}
