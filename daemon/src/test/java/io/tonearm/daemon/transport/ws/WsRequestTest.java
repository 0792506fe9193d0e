package io.tonearm.daemon.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tonearm.daemon.events.Topic;
import io.tonearm.proto.v1.CommandSource;
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
  void parsesClientNameAndSource() {
    WsRequest r = WsRequest.parse("/ws?client=kitchen%20panel&source=assistant");
    assertEquals("kitchen panel", r.clientName());
    assertEquals(CommandSource.COMMAND_SOURCE_ASSISTANT, r.source());
    WsRequest none = WsRequest.parse("/ws");
    assertEquals("", none.clientName());
    assertEquals(CommandSource.COMMAND_SOURCE_UNSPECIFIED, none.source());
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
          "/ws?fps=-2",
          "/ws?client=" + "x".repeat(65),
          "/ws?client=a%2Fb",
          "/ws?source=robot"
        }) {
      assertThrows(IllegalArgumentException.class, () -> WsRequest.parse(bad), bad);
    }
  }
}
