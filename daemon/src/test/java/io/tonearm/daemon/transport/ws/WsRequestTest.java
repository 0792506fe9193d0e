package io.tonearm.daemon.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.events.Topic;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class WsRequestTest {

  @Test
  void parsesTopicsResumeFormatAndFps() {
    WsRequest r =
        WsRequest.parse("/ws?topics=player,queue,transport&resume=ab12:77&format=json&fps=30");
    assertEquals(EnumSet.of(Topic.PLAYER, Topic.QUEUE, Topic.TRANSPORT), r.topics());
    assertEquals("ab12", r.resumeEpoch());
    assertEquals(77, r.resumeSeq());
    assertTrue(r.json());
    assertEquals(30, r.fps());
  }

  @Test
  void noParametersMeansNothingSubscribedAndBinary() {
    WsRequest r = WsRequest.parse("/ws");
    assertTrue(r.topics().isEmpty());
    assertNull(r.resumeEpoch());
    assertEquals(false, r.json());
  }

  @Test
  void rejectsMalformedParameters() {
    for (String bad :
        new String[] {
          "/ws?topics=nope",
          "/ws?resume=abc",
          "/ws?resume=:5",
          "/ws?resume=e:x",
          "/ws?resume=e:-1",
          "/ws?format=xml",
          "/ws?fps=fast",
          "/ws?fps=-2"
        }) {
      assertThrows(IllegalArgumentException.class, () -> WsRequest.parse(bad), bad);
    }
  }
}
