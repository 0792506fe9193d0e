package io.tonearm.daemon.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class IntParameterTest {

  @Test
  void absentIsTheFallbackAndBoundsAreInclusive() {
    assertEquals(50, IntParameter.parse("limit", null, 50, 1, 500));
    assertEquals(1, IntParameter.parse("limit", "1", 50, 1, 500));
    assertEquals(500, IntParameter.parse("limit", "500", 50, 1, 500));
  }

  @Test
  void textAndOutOfRangeValuesAreRefusedNamingTheParameter() {
    DomainException text =
        assertThrows(DomainException.class, () -> IntParameter.parse("limit", "ten", 50, 1, 500));
    assertEquals("bad_request", text.code());
    assertEquals("limit must be an integer, got 'ten'", text.getMessage());
    DomainException high =
        assertThrows(DomainException.class, () -> IntParameter.parse("limit", "501", 50, 1, 500));
    assertEquals("out_of_range", high.code());
    assertEquals("limit", high.details().get("field"));
    assertEquals("1 to 500", high.details().get("range"));
    assertEquals(
        "bad_request",
        assertThrows(
                DomainException.class,
                () -> IntParameter.parse("limit", "9".repeat(12), 50, 1, 500))
            .code(),
        "past int's range is not an integer");
  }
}
