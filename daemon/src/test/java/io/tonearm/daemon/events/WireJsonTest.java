package io.tonearm.daemon.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Error;
import io.tonearm.proto.v1.PlayerChanged;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * WireJson against protobuf's JsonFormat (EncodedEvent.toJson, the printer the daemon used before)
 * over every message type of the wire registry: random values with the edges of each type, every
 * field left absent, set, or set to its default, nested messages, maps, oneofs, Any, unknown enum
 * numbers. The outputs must be the same bytes (so also the same parsed JSON), printed by WireJson
 * itself (not its JsonFormat fallback).
 */
class WireJsonTest {

  private static final String[] PIECES = {
    "",
    "a",
    "tonearm",
    "\"",
    "\\",
    "/",
    "\n",
    "\t",
    "\b",
    "\f",
    "\r",
    "\u0000",
    "\u001f",
    "<",
    ">",
    "&",
    "=",
    "'",
    "\u007f",
    "\u0080",
    "é",
    "€",
    "\u2027",
    "\u2028",
    "\u2029",
    "\ud83d\ude00",
    "日本",
    "\uffff"
  };

  private final Random random = new Random(1313);

  /** Every message type (nested ones too) of the files the registry was built from. */
  private static List<Descriptor> allTypes() {
    Set<FileDescriptor> files = new LinkedHashSet<>();
    addFile(Envelope.getDescriptor().getFile(), files);
    addFile(io.tonearm.proto.v1.TokenInfo.getDescriptor().getFile(), files);
    files.add(Empty.getDescriptor().getFile());
    List<Descriptor> out = new ArrayList<>();
    for (FileDescriptor f : files) {
      if (f.getPackage().equals("google.protobuf") && !f.getName().endsWith("empty.proto")) {
        continue; // descriptor.proto, any.proto: not messages the daemon prints at the top
      }
      for (Descriptor d : f.getMessageTypes()) {
        addType(d, out);
      }
    }
    return out;
  }

  private static void addFile(FileDescriptor f, Set<FileDescriptor> files) {
    if (files.add(f)) {
      for (FileDescriptor d : f.getDependencies()) {
        addFile(d, files);
      }
    }
  }

  private static void addType(Descriptor d, List<Descriptor> out) {
    if (!d.getOptions().getMapEntry()) {
      out.add(d);
    }
    for (Descriptor n : d.getNestedTypes()) {
      addType(n, out);
    }
  }

  private static String reference(com.google.protobuf.MessageOrBuilder m) {
    return EncodedEvent.toJson(m);
  }

  private static String wire(Message m) {
    byte[] j = WireJson.print(m.getDescriptorForType(), m.toByteArray(), WireTypes.REGISTRY);
    assertNotNull(j, () -> "WireJson fell back for " + m.getDescriptorForType().getFullName());
    return new String(j, StandardCharsets.UTF_8);
  }

  private void assertSame(Message m) {
    String expected = reference(m);
    String actual = wire(m);
    assertEquals(expected, actual, () -> m.getDescriptorForType().getFullName());
    assertEquals(JsonParser.parseString(expected), JsonParser.parseString(actual));
  }

  @Test
  void everyTypeEmptyPrintsTheSameAsJsonFormat() {
    for (Descriptor d : allTypes()) {
      assertSame(DynamicMessage.getDefaultInstance(d));
    }
  }

  @Test
  void everyTypeWithRandomValuesPrintsTheSameAsJsonFormat() {
    List<Descriptor> types = allTypes();
    assertTrue(types.size() > 100, "the registry's types: " + types.size());
    int fields = 0;
    for (Descriptor d : types) {
      for (int i = 0; i < 40; i++) {
        DynamicMessage m = message(d, 0, i % 4);
        fields += m.getAllFields().size();
        assertSame(m);
      }
    }
    assertTrue(fields > 10_000, "fields set: " + fields);
  }

  @Test
  void generatedMessagesAsTheDaemonMakesThem() {
    Envelope e =
        Envelope.newBuilder()
            .setSeq(42)
            .setEpoch("ep<och>")
            .setServerTimeUs(-1)
            .setPlayer(PlayerChanged.getDefaultInstance())
            .build();
    assertSame(e);
    assertArrayEquals(
        reference(e).getBytes(StandardCharsets.UTF_8),
        new EncodedEvent(42, Topic.PLAYER, e).json());
    Error err =
        Error.newBuilder().setCode("bad").setMessage("ü\n").putDetails("k\u2028", "v").build();
    assertSame(err);
    assertArrayEquals(reference(err).getBytes(StandardCharsets.UTF_8), EncodedEvent.jsonBytes(err));
  }

  @Test
  void fieldsOutOfNumberOrderFallBackToJsonFormat() throws Exception {
    Envelope a = Envelope.newBuilder().setSeq(7).build();
    Envelope b = Envelope.newBuilder().setEpoch("x").build();
    ByteArrayOutputStream reversed = new ByteArrayOutputStream();
    reversed.write(b.toByteArray());
    reversed.write(a.toByteArray());
    byte[] bytes = reversed.toByteArray();
    Envelope parsed = Envelope.parseFrom(bytes);
    assertNull(WireJson.print(Envelope.getDescriptor(), bytes, WireTypes.REGISTRY));
    assertEquals(
        reference(parsed),
        new String(EncodedEvent.jsonBytes(parsed, bytes), StandardCharsets.UTF_8));
  }

  @Test
  void invalidUtf8AndTruncatedBytesFallBack() {
    byte[] bad = {0x12, 0x02, (byte) 0xC3, 0x28}; // epoch = C3 28: not UTF-8
    assertNull(WireJson.print(Envelope.getDescriptor(), bad, WireTypes.REGISTRY));
    byte[] cut = {0x12, 0x05, 'a'}; // epoch of 5 bytes, 1 there
    assertNull(WireJson.print(Envelope.getDescriptor(), cut, WireTypes.REGISTRY));
  }

  @Test
  void unknownFieldsAreSkippedAsJsonFormatIgnoresThem() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(Envelope.newBuilder().setSeq(3).build().toByteArray());
    b.write(new byte[] {(byte) 0xF8, 0x3F, 0x05}); // field 1023, varint 5: not in Envelope
    byte[] bytes = b.toByteArray();
    Envelope parsed = Envelope.parseFrom(bytes);
    byte[] j = WireJson.print(Envelope.getDescriptor(), bytes, WireTypes.REGISTRY);
    assertNotNull(j);
    assertEquals(reference(parsed), new String(j, StandardCharsets.UTF_8));
  }

  // --- random messages

  /** A message of type d; density 0 leaves most fields absent, 3 sets nearly all. */
  private DynamicMessage message(Descriptor d, int depth, int density) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
    for (FieldDescriptor f : d.getFields()) {
      if (random.nextInt(4) > density) {
        continue;
      }
      if (f.getRealContainingOneof() != null && b.hasOneof(f.getContainingOneof())) {
        continue;
      }
      if (f.isMapField()) {
        Set<Object> keys = new HashSet<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          FieldDescriptor kf = f.getMessageType().findFieldByNumber(1);
          FieldDescriptor vf = f.getMessageType().findFieldByNumber(2);
          Object k = value(kf, depth);
          if (!keys.add(k)) {
            continue;
          }
          DynamicMessage.Builder e = DynamicMessage.newBuilder(f.getMessageType());
          e.setField(kf, k);
          if (random.nextInt(5) > 0) {
            e.setField(vf, value(vf, depth));
          }
          b.addRepeatedField(f, e.build());
        }
      } else if (f.isRepeated()) {
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          b.addRepeatedField(f, value(f, depth));
        }
      } else {
        b.setField(f, value(f, depth));
      }
    }
    return b.build();
  }

  private Object value(FieldDescriptor f, int depth) {
    switch (f.getJavaType()) {
      case INT:
        return pickInt();
      case LONG:
        return pickLong();
      case FLOAT:
        {
          float[] v = {
            0f,
            -0f,
            1f,
            -1.5f,
            Float.NaN,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE,
            Float.MAX_VALUE,
            1e-10f,
            123456.79f,
            1e7f,
            0.1f
          };
          return random.nextBoolean()
              ? v[random.nextInt(v.length)]
              : random.nextFloat() * 2000 - 1000;
        }
      case DOUBLE:
        {
          double[] v = {
            0,
            -0.0,
            1,
            -1.5,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            1e-300,
            1e21,
            1e7,
            0.1,
            44100
          };
          return random.nextBoolean() ? v[random.nextInt(v.length)] : random.nextGaussian() * 1e6;
        }
      case BOOLEAN:
        return random.nextBoolean();
      case STRING:
        {
          StringBuilder s = new StringBuilder();
          int n = random.nextInt(5);
          for (int i = 0; i < n; i++) {
            s.append(PIECES[random.nextInt(PIECES.length)]);
          }
          return s.toString();
        }
      case BYTE_STRING:
        {
          byte[] v = new byte[random.nextInt(8)];
          random.nextBytes(v);
          return ByteString.copyFrom(v);
        }
      case ENUM:
        {
          EnumDescriptor e = f.getEnumType();
          if (random.nextInt(6) == 0 && !f.legacyEnumFieldTreatedAsClosed()) {
            return e.findValueByNumberCreatingIfUnknown(1000 + random.nextInt(5));
          }
          return e.getValues().get(random.nextInt(e.getValues().size()));
        }
      case MESSAGE:
        {
          Descriptor t = f.getMessageType();
          if (t.getFullName().equals("google.protobuf.Any")) {
            return any(depth);
          }
          if (depth >= 3) {
            return DynamicMessage.getDefaultInstance(t);
          }
          return message(t, depth + 1, random.nextInt(4));
        }
      default:
        throw new AssertionError(f.getJavaType());
    }
  }

  private Any any(int depth) {
    switch (random.nextInt(4)) {
      case 0:
        return Any.getDefaultInstance();
      case 1:
        return Any.pack(Empty.getDefaultInstance());
      default:
        {
          List<Descriptor> types = allTypes();
          Descriptor t = types.get(random.nextInt(types.size()));
          DynamicMessage m =
              depth >= 2 ? DynamicMessage.getDefaultInstance(t) : message(t, depth + 1, 2);
          return Any.newBuilder()
              .setTypeUrl("type.googleapis.com/" + t.getFullName())
              .setValue(m.toByteString())
              .build();
        }
    }
  }

  private int pickInt() {
    int[] v = {0, 1, -1, 7, 127, 128, Integer.MAX_VALUE, Integer.MIN_VALUE, 44100};
    return random.nextBoolean() ? v[random.nextInt(v.length)] : random.nextInt();
  }

  private long pickLong() {
    long[] v = {
      0, 1, -1, 1L << 53, (1L << 53) + 1, Long.MAX_VALUE, Long.MIN_VALUE, 1_700_000_000_000L
    };
    return random.nextBoolean() ? v[random.nextInt(v.length)] : random.nextLong();
  }
}
