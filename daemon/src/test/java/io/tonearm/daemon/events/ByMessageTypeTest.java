package io.tonearm.daemon.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Empty;
import io.tonearm.proto.v1.PlayerState;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ByMessageTypeTest {

  /** A value that says which descriptor it was made for. */
  private record Made(Descriptor type, int n) {}

  @Test
  void aTypesValueIsMadeOnceAndEachTypeHasItsOwn() {
    AtomicInteger made = new AtomicInteger();
    ByMessageType<Made> table = new ByMessageType<>(d -> new Made(d, made.incrementAndGet()));
    Made empty = table.get(Empty.getDescriptor());
    assertSame(empty, table.get(Empty.getDescriptor()));
    assertSame(Empty.getDescriptor(), empty.type());
    Made state = table.get(PlayerState.getDescriptor());
    assertSame(PlayerState.getDescriptor(), state.type());
    assertSame(state, table.get(PlayerState.getDescriptor()));
    assertEquals(2, made.get());
  }

  @Test
  void anotherTypeOfTheSameNameGetsAValueOfItsOwnNeverTheKeptOne() throws Exception {
    // google.protobuf.Empty built again from its file: same full name, another descriptor.
    Descriptor dynamic =
        FileDescriptor.buildFrom(Empty.getDescriptor().getFile().toProto(), new FileDescriptor[0])
            .findMessageTypeByName("Empty");
    assertEquals(Empty.getDescriptor().getFullName(), dynamic.getFullName());
    assertNotSame(Empty.getDescriptor(), dynamic);

    AtomicInteger made = new AtomicInteger();
    ByMessageType<Made> table = new ByMessageType<>(d -> new Made(d, made.incrementAndGet()));
    Made kept = table.get(Empty.getDescriptor());
    Made other = table.get(dynamic);
    assertSame(dynamic, other.type());
    assertNotSame(other, table.get(dynamic), "not kept: made again");
    assertSame(kept, table.get(Empty.getDescriptor()), "the first type's value stays");
  }

  @Test
  void aValueMayAskTheTableForAnotherType() {
    // A JSON plan asks for its fields' types' plans while it is made.
    ByMessageType<String>[] self = new ByMessageType[1];
    self[0] =
        new ByMessageType<>(
            d ->
                d.getFullName().equals(PlayerState.getDescriptor().getFullName())
                    ? "state+" + self[0].get(Empty.getDescriptor())
                    : d.getName());
    assertEquals("state+Empty", self[0].get(PlayerState.getDescriptor()));
    assertEquals("Empty", self[0].get(Empty.getDescriptor()));
  }
}
