package io.tonearm.daemon.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tonearm.proto.v1.Weighting;
import org.junit.jupiter.api.Test;

class FrequencyWeightingTest {

  @Test
  void weightingsMatchTheirStandardTables() {
    // IEC 61672-1 table 3 and ITU-R BS.468-4 table 1.
    assertEquals(0, FrequencyWeighting.db(Weighting.WEIGHTING_A, 1000), 0.01);
    assertEquals(-19.1, FrequencyWeighting.db(Weighting.WEIGHTING_A, 100), 0.1);
    assertEquals(1.3, FrequencyWeighting.db(Weighting.WEIGHTING_A, 2500), 0.1);
    assertEquals(0, FrequencyWeighting.db(Weighting.WEIGHTING_C, 1000), 0.01);
    assertEquals(-3.0, FrequencyWeighting.db(Weighting.WEIGHTING_C, 31.5), 0.1);
    assertEquals(0, FrequencyWeighting.db(Weighting.WEIGHTING_ITU_468, 1000), 0.05);
    assertEquals(12.2, FrequencyWeighting.db(Weighting.WEIGHTING_ITU_468, 6300), 0.05);
    assertEquals(-29.9, FrequencyWeighting.db(Weighting.WEIGHTING_ITU_468, 31.5), 0.1);
    assertEquals(0, FrequencyWeighting.db(Weighting.WEIGHTING_NONE, 50), 0);
  }
}
