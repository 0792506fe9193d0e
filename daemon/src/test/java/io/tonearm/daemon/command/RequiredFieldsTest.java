package io.tonearm.daemon.command;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tonearm.daemon.errors.DomainException;
import io.tonearm.proto.v1.QueueMoveRequest;
import io.tonearm.proto.v1.VolumeRequest;
import org.junit.jupiter.api.Test;

class RequiredFieldsTest {

  @Test
  void aRequiredFieldLeftUnsetIsMissing() {
    DomainException e =
        assertThrows(
            DomainException.class,
            () -> RequiredFields.check("player.volume", VolumeRequest.getDefaultInstance()));
    assertEquals("missing_field", e.code());
    assertEquals("volume", e.details().get("field"));
  }

  @Test
  void aRequiredFieldSetToItsDefaultIsPresent() {
    assertDoesNotThrow(
        () ->
            RequiredFields.check("player.volume", VolumeRequest.newBuilder().setVolume(0).build()));
  }

  @Test
  void otherFieldsSetDoNotStandInForTheRequiredOne() {
    QueueMoveRequest onlyId = QueueMoveRequest.newBuilder().setItemId("i2").build();
    DomainException e =
        assertThrows(DomainException.class, () -> RequiredFields.check("queue.move", onlyId));
    assertEquals("to_index", e.details().get("field"));
    assertDoesNotThrow(
        () -> RequiredFields.check("queue.move", onlyId.toBuilder().setToIndex(0).build()));
    assertDoesNotThrow(
        () ->
            RequiredFields.check(
                "queue.move", QueueMoveRequest.newBuilder().setToIndex(7).build()));
  }
}
