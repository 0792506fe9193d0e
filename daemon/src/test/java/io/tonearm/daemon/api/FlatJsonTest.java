package io.tonearm.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.tonearm.proto.v1.PlayRequest;
import io.tonearm.proto.v1.QueueMoveRequest;
import io.tonearm.proto.v1.RepeatRequest;
import io.tonearm.proto.v1.SeekRequest;
import io.tonearm.proto.v1.ToggleRequest;
import io.tonearm.proto.v1.VolumeRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlatJsonTest {

  private static final List<Message> TYPES =
      List.of(
          VolumeRequest.getDefaultInstance(),
          SeekRequest.getDefaultInstance(),
          ToggleRequest.getDefaultInstance(),
          RepeatRequest.getDefaultInstance(),
          PlayRequest.getDefaultInstance(),
          QueueMoveRequest.getDefaultInstance());

  @Test
  void readsCommonBodiesAsTheGeneralPathDoes() {
    assertSame(VolumeRequest.getDefaultInstance(), "{\"volume\":51}", true);
    assertSame(VolumeRequest.getDefaultInstance(), " {\n \"volume\" : 0 }\r\n", true);
    assertSame(VolumeRequest.getDefaultInstance(), "{\"volume\":-0}", true);
    assertSame(VolumeRequest.getDefaultInstance(), "{}", true);
    assertSame(SeekRequest.getDefaultInstance(), "{\"positionMs\":123456789012}", true);
    assertSame(SeekRequest.getDefaultInstance(), "{\"position_ms\":-5}", true);
    assertSame(ToggleRequest.getDefaultInstance(), "{\"enabled\":true,\"oneshot\":false}", true);
    assertSame(RepeatRequest.getDefaultInstance(), "{\"mode\":\"REPEAT_MODE_ALL\"}", true);
    assertSame(PlayRequest.getDefaultInstance(), "{\"item_id\":\"q-17 x\"}", true);
    assertSame(PlayRequest.getDefaultInstance(), "{\"itemId\":\"\"}", true);
  }

  @Test
  void leavesEverythingElseToTheGeneralPath() {
    for (String body :
        List.of(
            "{\"volume\":51.0}", // a fraction
            "{\"volume\":5e1}", // an exponent
            "{\"volume\":\"51\"}", // a quoted number
            "{\"volume\":051}", // a leading zero
            "{\"volume\":2147483648}", // out of int32's range
            "{\"volume\":null}",
            "{\"volume\":[51]}",
            "{\"volume\":51,\"volume\":52}", // named twice
            "{\"volume\":51}x", // text after the object
            "{\"volume\":51,}",
            "{volume:51}",
            "{\"loudness\":51}", // unknown
            "[51]",
            "")) {
      VolumeRequest.Builder b = VolumeRequest.newBuilder();
      assertFalse(FlatJson.merge(bytes(body), b), body);
      assertEquals(VolumeRequest.getDefaultInstance(), b.build(), "untouched: " + body);
    }
    assertFalse(merges(PlayRequest.getDefaultInstance(), "{\"item_id\":\"a\\\"b\"}"), "an escape");
    assertFalse(merges(PlayRequest.getDefaultInstance(), "{\"item_id\":\"é\"}"), "not ASCII");
    assertFalse(merges(ToggleRequest.getDefaultInstance(), "{\"enabled\":truex}"));
    assertFalse(
        merges(RepeatRequest.getDefaultInstance(), "{\"mode\":\"REPEAT_MODE_OFF\"}"), "unknown");
    assertFalse(merges(RepeatRequest.getDefaultInstance(), "{\"mode\":1}"), "a number");
    assertFalse(merges(QueueMoveRequest.getDefaultInstance(), "{\"to_index\":3}"), "uint32");
  }

  /** Random bodies made of valid and invalid pieces: whatever this takes, it reads exactly. */
  @Test
  void agreesWithTheGeneralPathOnRandomBodies() {
    String[] names = {
      "\"volume\"",
      "\"positionMs\"",
      "\"position_ms\"",
      "\"enabled\"",
      "\"oneshot\"",
      "\"mode\"",
      "\"item_id\"",
      "\"itemId\"",
      "\"to_index\"",
      "\"nope\""
    };
    String[] values = {
      "0",
      "1",
      "-1",
      "100",
      "2147483647",
      "-2147483648",
      "2147483648",
      "9223372036854775807",
      "999999999999999999",
      "01",
      "1.5",
      "1e3",
      "true",
      "false",
      "null",
      "\"x\"",
      "\"\"",
      "\"REPEAT_MODE_ONE\"",
      "\"REPEAT_MODE_NONE\"",
      "\"REPEAT_MODE_OFF\"",
      "[1]",
      "{}",
      "\"a b\"",
      "tru"
    };
    Random r = new Random(13);
    int taken = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder s = new StringBuilder(r.nextInt(8) == 0 ? " {" : "{");
      int fields = r.nextInt(3);
      for (int k = 0; k < fields; k++) {
        if (k > 0) {
          s.append(r.nextInt(20) == 0 ? " ," : ",");
        }
        s.append(names[r.nextInt(names.length)]).append(r.nextBoolean() ? ":" : " : ");
        s.append(values[r.nextInt(values.length)]);
      }
      s.append(r.nextInt(30) == 0 ? "}}" : "}");
      Message type = TYPES.get(r.nextInt(TYPES.size()));
      if (merges(type, s.toString())) {
        taken++;
        assertSame(type, s.toString(), true);
      }
    }
    assertTrue(taken > 1000, "the fast path took " + taken + " bodies");
  }

  /** FlatJson's reading of {@code body} equals the general path's ({@link ApiRequest#parse}). */
  private static void assertSame(Message type, String body, boolean taken) {
    Message.Builder fast = type.newBuilderForType();
    assertEquals(taken, FlatJson.merge(bytes(body), fast), body);
    Message.Builder general = type.newBuilderForType();
    try {
      StrictJson.check(body, type.getDescriptorForType());
      JsonFormat.parser().merge(body, general);
    } catch (Exception e) {
      throw new AssertionError("the general path refuses " + body + " that FlatJson took", e);
    }
    assertEquals(general.build(), fast.build(), body);
    assertEquals(general.build().toString(), fast.build().toString(), body + " (presence)");
  }

  private static boolean merges(Message type, String body) {
    return FlatJson.merge(bytes(body), type.newBuilderForType());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
