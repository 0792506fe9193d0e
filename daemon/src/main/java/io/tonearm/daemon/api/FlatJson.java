package io.tonearm.daemon.api;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.tonearm.daemon.events.ByMessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the common JSON command body, one flat object of plain values such as {@code
 * {"volume":51}}, straight into its builder, without the two JSON parsers of the general path
 * ({@link StrictJson}'s check, then protobuf's {@code JsonFormat}, each building a tree first): on
 * a command's way to its reply those two were the largest piece of the request's handling after
 * Netty's HTTP decoding. It takes only what it reads exactly as that path does: field names (proto
 * or JSON name) of singular fields outside a oneof ({@code optional} fields included), each once;
 * integers without fraction, exponent or quotes for the 32- and 64-bit signed types, in range;
 * {@code true} and {@code false} for bools; strings of printable ASCII without escapes for strings
 * and known enum names. Anything else (nesting, arrays, null, escapes, other number forms or types,
 * unknown or repeated names, text after the object) returns false with the builder untouched, and
 * the general path reads the body, or refuses it, as before. Thread-safe (one field table per
 * message type, made at its first body).
 */
final class FlatJson {

  private static final int MAX_FIELDS = 16;

  private static final ByMessageType<Map<String, FieldDescriptor>> BY_NAME =
      new ByMessageType<>(FlatJson::names);

  private FlatJson() {}

  /** Merges {@code body} into {@code builder} and returns true, or returns false untouched. */
  static boolean merge(byte[] body, Message.Builder builder) {
    FieldDescriptor[] fields = new FieldDescriptor[MAX_FIELDS];
    Object[] values = new Object[MAX_FIELDS];
    int n = 0;
    int[] at = {skip(body, 0)};
    if (!expect(body, at, '{')) {
      return false;
    }
    if (peek(body, at) == '}') {
      at[0]++;
    } else {
      while (true) {
        String name = string(body, at);
        if (name == null || !expect(body, at, ':')) {
          return false;
        }
        FieldDescriptor f = field(builder, name);
        if (f == null || n == MAX_FIELDS || seen(fields, n, f)) {
          return false;
        }
        Object v = value(body, at, f);
        if (v == null) {
          return false;
        }
        fields[n] = f;
        values[n++] = v;
        int c = peek(body, at);
        at[0]++;
        if (c == '}') {
          break;
        }
        if (c != ',') {
          return false;
        }
      }
    }
    if (skip(body, at[0]) != body.length) {
      return false;
    }
    if (n > 0) {
      mergeWire(fields, values, n, builder);
    }
    return true;
  }

  /**
   * Sets the values through their binary encoding, parsed by the message's generated code: the
   * builder's {@code setField} goes through reflection ({@code Method.invoke}), about 1.5 % of a
   * volume command's CPU with the C1-only JIT. The same as setting each field: every field here is
   * singular and read once, and a singular field parsed from the wire takes the value (and its
   * presence) as {@code setField} does.
   */
  private static void mergeWire(
      FieldDescriptor[] fields, Object[] values, int n, Message.Builder builder) {
    int size = 0;
    for (int i = 0; i < n; i++) { // a tag and a varint, or a tag, a length and ASCII bytes
      size += 16 + (values[i] instanceof String str ? str.length() : 0);
    }
    byte[] wire = new byte[size];
    CodedOutputStream out = CodedOutputStream.newInstance(wire);
    try {
      for (int i = 0; i < n; i++) {
        int k = fields[i].getNumber();
        Object v = values[i];
        switch (fields[i].getType()) {
          case INT32 -> out.writeInt32(k, (Integer) v);
          case SINT32 -> out.writeSInt32(k, (Integer) v);
          case SFIXED32 -> out.writeSFixed32(k, (Integer) v);
          case INT64 -> out.writeInt64(k, (Long) v);
          case SINT64 -> out.writeSInt64(k, (Long) v);
          case SFIXED64 -> out.writeSFixed64(k, (Long) v);
          case BOOL -> out.writeBool(k, (Boolean) v);
          case ENUM -> out.writeEnum(k, ((EnumValueDescriptor) v).getNumber());
          case STRING -> out.writeString(k, (String) v);
          default -> throw new IllegalStateException("not read here: " + fields[i].getType());
        }
      }
      builder.mergeFrom(CodedInputStream.newInstance(wire, 0, out.getTotalBytesWritten()));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // sized for every value and parsed as written
    }
  }

  private static FieldDescriptor field(Message.Builder builder, String name) {
    FieldDescriptor f = BY_NAME.get(builder.getDescriptorForType()).get(name);
    return f == null || f.isRepeated() || f.getRealContainingOneof() != null ? null : f;
  }

  /**
   * A message's fields by proto name, else by JSON name (the first field that has it): what {@code
   * findFieldByName} and then a scan of the JSON names found, without building the field's full
   * name and searching the file's symbols for every name of every body.
   */
  private static Map<String, FieldDescriptor> names(Descriptor type) {
    Map<String, FieldDescriptor> byName = new HashMap<>();
    for (FieldDescriptor g : type.getFields()) {
      byName.putIfAbsent(g.getJsonName(), g);
    }
    for (FieldDescriptor g : type.getFields()) {
      byName.put(g.getName(), g);
    }
    return Map.copyOf(byName);
  }

  private static boolean seen(FieldDescriptor[] fields, int n, FieldDescriptor f) {
    for (int i = 0; i < n; i++) {
      if (fields[i] == f) {
        return true;
      }
    }
    return false;
  }

  /** The value at {@code at} as {@code f} takes it, or null when it is not one this reads. */
  private static Object value(byte[] b, int[] at, FieldDescriptor f) {
    switch (f.getType()) {
      case INT32, SINT32, SFIXED32 -> {
        Long v = integer(b, at);
        return v == null || v != v.intValue() ? null : Integer.valueOf(v.intValue());
      }
      case INT64, SINT64, SFIXED64 -> {
        return integer(b, at);
      }
      case BOOL -> {
        if (word(b, at, "true")) {
          return Boolean.TRUE;
        }
        return word(b, at, "false") ? Boolean.FALSE : null;
      }
      case STRING -> {
        return string(b, at);
      }
      case ENUM -> {
        String name = string(b, at);
        EnumValueDescriptor e = name == null ? null : f.getEnumType().findValueByName(name);
        return e;
      }
      default -> {
        return null;
      }
    }
  }

  /** An integer of at most 18 digits, no leading zero, optional minus; null for anything else. */
  private static Long integer(byte[] b, int[] at) {
    int i = skip(b, at[0]);
    boolean minus = i < b.length && b[i] == '-';
    if (minus) {
      i++;
    }
    int from = i;
    long v = 0;
    while (i < b.length && b[i] >= '0' && b[i] <= '9' && i - from < 18) {
      v = v * 10 + (b[i++] - '0');
    }
    int digits = i - from;
    if (digits == 0 || (digits > 1 && b[from] == '0')) {
      return null;
    }
    if (i < b.length
        && (b[i] == '.' || b[i] == 'e' || b[i] == 'E' || (b[i] >= '0' && b[i] <= '9'))) {
      return null; // a fraction, an exponent or more digits: the general path's to read
    }
    at[0] = skip(b, i);
    return minus ? -v : v;
  }

  /** A quoted string of printable ASCII without escapes; null for anything else. */
  private static String string(byte[] b, int[] at) {
    int i = skip(b, at[0]);
    if (i >= b.length || b[i] != '"') {
      return null;
    }
    int from = ++i;
    while (i < b.length && b[i] != '"') {
      if (b[i] < 0x20 || b[i] > 0x7E || b[i] == '\\') {
        return null;
      }
      i++;
    }
    if (i >= b.length) {
      return null;
    }
    at[0] = skip(b, i + 1);
    return new String(b, from, i - from, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static boolean word(byte[] b, int[] at, String w) {
    int i = skip(b, at[0]);
    if (i + w.length() > b.length) {
      return false;
    }
    for (int k = 0; k < w.length(); k++) {
      if (b[i + k] != w.charAt(k)) {
        return false;
      }
    }
    int end = i + w.length();
    if (end < b.length && Character.isLetterOrDigit(b[end])) {
      return false;
    }
    at[0] = skip(b, end);
    return true;
  }

  private static boolean expect(byte[] b, int[] at, char c) {
    int i = skip(b, at[0]);
    if (i >= b.length || b[i] != c) {
      return false;
    }
    at[0] = skip(b, i + 1);
    return true;
  }

  private static int peek(byte[] b, int[] at) {
    at[0] = skip(b, at[0]);
    return at[0] < b.length ? b[at[0]] : -1;
  }

  /** The index of the first byte at or after {@code i} that is not JSON whitespace. */
  private static int skip(byte[] b, int i) {
    while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
      i++;
    }
    return i;
  }
}
