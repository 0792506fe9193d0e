package io.tonearm.daemon.events;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonEnumValueOptions;
import com.google.protobuf.util.JsonEnumvalueOptionsProto;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Protobuf's JSON mapping printed straight from a message's binary encoding, byte for byte what
 * {@link EncodedEvent}'s {@code JsonFormat} printer makes (proto field names, one line, fields
 * without presence at their defaults, unset message, oneof and {@code optional} fields absent,
 * int64 as strings, enums by name, bytes in base64, NaN and the infinities as strings, {@code
 * google.protobuf.Any} by its type's fields), without reflection: a plan per message descriptor
 * (field names, wire types, enum names, default values, all made once) walks the wire bytes.
 *
 * <p>It handles what the daemon's messages use. Bytes it cannot print exactly as {@code JsonFormat}
 * would (fields out of field-number order, two members of one oneof, groups, invalid UTF-8, an Any
 * of an unregistered or special well-known type, a message nested deeper than 100, the well-known
 * types with their own JSON form) make {@link #print} answer null, and the caller prints the parsed
 * message with {@code JsonFormat} instead. Messages the daemon's generated code encodes come in
 * field-number order, so that is the exception.
 *
 * <p>Thread-safe: plans are immutable and shared; each thread prints into its own reused buffer
 * (kept only while it is at most 64 KiB).
 */
public final class WireJson {

  private static final int MAX_DEPTH = 100;
  private static final int KEEP_BUFFER = 64 * 1024;

  /** Types {@code JsonFormat} prints in a form of their own (Any is handled here). */
  private static final Set<String> SPECIAL =
      Set.of(
          "google.protobuf.Timestamp",
          "google.protobuf.Duration",
          "google.protobuf.FieldMask",
          "google.protobuf.Struct",
          "google.protobuf.Value",
          "google.protobuf.ListValue",
          "google.protobuf.DoubleValue",
          "google.protobuf.FloatValue",
          "google.protobuf.Int64Value",
          "google.protobuf.UInt64Value",
          "google.protobuf.Int32Value",
          "google.protobuf.UInt32Value",
          "google.protobuf.BoolValue",
          "google.protobuf.StringValue",
          "google.protobuf.BytesValue");

  private static final String ANY = "google.protobuf.Any";

  /** JsonFormat's escapes for chars below 128 (null: copied as is). */
  private static final byte[][] ESCAPES = new byte[128][];

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPES[c] = String.format("\\u%04x", c).getBytes(StandardCharsets.US_ASCII);
    }
    ESCAPES['"'] = ascii("\\\"");
    ESCAPES['\\'] = ascii("\\\\");
    ESCAPES['\t'] = ascii("\\t");
    ESCAPES['\b'] = ascii("\\b");
    ESCAPES['\n'] = ascii("\\n");
    ESCAPES['\r'] = ascii("\\r");
    ESCAPES['\f'] = ascii("\\f");
    for (char c : "<>&='".toCharArray()) {
      ESCAPES[c] = String.format("\\u%04x", (int) c).getBytes(StandardCharsets.US_ASCII);
    }
  }

  private static final byte[] U2028 = ascii("\\u2028");
  private static final byte[] U2029 = ascii("\\u2029");
  private static final byte[] BASE64 =
      ascii("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

  /** Each message type's plan (an event prints five messages). */
  private static final ByMessageType<Plan> PLANS = new ByMessageType<>(Plan::new);

  private static final PerThread<Printer> PRINTER = new PerThread<>(Printer::new);
  private static final Fallback FALLBACK = new Fallback();

  private WireJson() {}

  /**
   * The JSON (UTF-8) of the message of type {@code type} encoded in {@code binary}, or null when it
   * must be printed from the parsed message (see the class comment). {@code Any} fields are
   * resolved in {@code registry}.
   */
  public static byte[] print(Descriptor type, byte[] binary, TypeRegistry registry) {
    Printer p = PRINTER.get();
    p.in = binary;
    p.pos = 0;
    p.len = 0;
    p.depth = 0;
    p.registry = registry;
    try {
      p.message(plan(type), binary.length);
      if (p.pos != binary.length) {
        return null;
      }
      return Arrays.copyOf(p.out, p.len);
    } catch (Fallback | IndexOutOfBoundsException | InvalidProtocolBufferException e) {
      return null;
    } finally {
      p.in = null;
      p.registry = null;
      if (p.out.length > KEEP_BUFFER) {
        p.out = new byte[1024];
      }
    }
  }

  private static Plan plan(Descriptor d) {
    return PLANS.get(d);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Thrown (one shared instance, no stack) where {@code JsonFormat} must print instead. */
  private static final class Fallback extends RuntimeException {
    Fallback() {
      super("printed by JsonFormat", null, false, false);
    }
  }

  /** How to print one message type: its fields sorted by number. Immutable. */
  private static final class Plan {
    final boolean any;
    final boolean special;
    final Field[] fields;

    /** Field number to index + 1 in {@link #fields} (0: unknown), for numbers below 1024. */
    final short[] small;

    final Map<Integer, Integer> large = new HashMap<>();

    Plan(Descriptor d) {
      String name = d.getFullName();
      any = name.equals(ANY);
      boolean sp = SPECIAL.contains(name);
      List<FieldDescriptor> fds = d.getFields();
      Field[] fs = new Field[fds.size()];
      for (int i = 0; i < fs.length; i++) {
        fs[i] = new Field(fds.get(i));
        sp |= fs[i].special;
      }
      Arrays.sort(fs, (a, b) -> Integer.compare(a.number, b.number));
      fields = fs;
      short[] s = new short[1024];
      for (int i = 0; i < fs.length; i++) {
        if (fs[i].number < s.length) {
          s[fs[i].number] = (short) (i + 1);
        } else {
          large.put(fs[i].number, i);
        }
      }
      small = s;
      special = sp || d.getOneofs().size() > 64;
    }

    int indexOf(int number) {
      if (number < small.length) {
        return small[number] - 1;
      }
      Integer i = large.get(number);
      return i == null ? -1 : i;
    }
  }

  /** One field of a plan. Immutable but for the nested plan, resolved on first use. */
  private static final class Field {
    final FieldDescriptor.Type type;
    final int number;
    final int wire;
    final boolean repeated;
    final boolean map;
    final int oneof;
    final boolean special;

    /** {@code "name":} */
    final byte[] key;

    /** What an absent value prints (a field without presence, a map entry's missing half). */
    final byte[] empty;

    final Descriptor messageType;
    final EnumNames names;
    final Field mapKey;
    final Field mapValue;
    Plan nested;

    Field(FieldDescriptor fd) {
      type = fd.getType();
      number = fd.getNumber();
      wire = wireType(type);
      repeated = fd.isRepeated();
      map = fd.isMapField();
      oneof = fd.getRealContainingOneof() != null ? fd.getContainingOneof().getIndex() : -1;
      key = ascii("\"" + fd.getName() + "\":");
      messageType = type == FieldDescriptor.Type.MESSAGE ? fd.getMessageType() : null;
      names = type == FieldDescriptor.Type.ENUM ? new EnumNames(fd.getEnumType()) : null;
      special =
          type == FieldDescriptor.Type.GROUP
              || (names != null
                  && fd.getEnumType().getFullName().equals("google.protobuf.NullValue"));
      if (map) {
        mapKey = new Field(messageType.findFieldByNumber(1));
        mapValue = new Field(messageType.findFieldByNumber(2));
      } else {
        mapKey = null;
        mapValue = null;
      }
      empty = emptyValue(fd);
    }

    private byte[] emptyValue(FieldDescriptor fd) {
      if (map) {
        return ascii("{}");
      }
      if (repeated) {
        return ascii("[]");
      }
      if (fd.hasPresence() && !fd.getContainingType().getOptions().getMapEntry()) {
        return null;
      }
      switch (type) {
        case INT64:
        case UINT64:
        case SINT64:
        case FIXED64:
        case SFIXED64:
          return ascii("\"0\"");
        case FLOAT:
        case DOUBLE:
          return ascii("0.0");
        case BOOL:
          return ascii("false");
        case STRING:
        case BYTES:
          return ascii("\"\"");
        case ENUM:
          return names.of(((EnumValueDescriptor) fd.getDefaultValue()).getNumber());
        case MESSAGE:
        case GROUP:
          return null; // a map entry's missing message value: printed from an empty plan
        default:
          return ascii("0");
      }
    }

    Plan nested() {
      Plan p = nested;
      if (p == null) {
        p = plan(messageType);
        nested = p;
      }
      return p;
    }

    private static int wireType(FieldDescriptor.Type t) {
      switch (t) {
        case DOUBLE:
        case FIXED64:
        case SFIXED64:
          return 1;
        case FLOAT:
        case FIXED32:
        case SFIXED32:
          return 5;
        case STRING:
        case BYTES:
        case MESSAGE:
          return 2;
        case GROUP:
          return 3;
        default:
          return 0;
      }
    }
  }

  /** An enum's printed values by number ({@code "NAME"}, or its json_name option). Immutable. */
  private static final class EnumNames {
    private final Map<Integer, byte[]> byNumber = new HashMap<>();

    EnumNames(EnumDescriptor e) {
      for (EnumValueDescriptor v : e.getValues()) {
        if (byNumber.containsKey(v.getNumber())) {
          continue; // an alias: the first name of a number is the one printed
        }
        JsonEnumValueOptions o = v.getOptions().getExtension(JsonEnumvalueOptionsProto.json);
        byte[] name;
        if (o.hasString()) {
          Printer p = new Printer();
          byte[] s = o.getString().getBytes(StandardCharsets.UTF_8);
          p.in = s;
          p.string(s.length);
          name = Arrays.copyOf(p.out, p.len);
        } else {
          name = ascii("\"" + v.getName() + "\"");
        }
        byNumber.put(v.getNumber(), name);
      }
    }

    /** The printed value; an unknown number prints as the number, as JsonFormat does. */
    byte[] of(int number) {
      byte[] n = byNumber.get(number);
      return n != null ? n : ascii(Integer.toString(number));
    }
  }

  /** One thread's printing state: the input, its position and the output buffer. */
  private static final class Printer {
    byte[] in;
    int pos;
    byte[] out = new byte[1024];
    int len;
    int depth;
    TypeRegistry registry;

    void message(Plan p, int end) throws InvalidProtocolBufferException {
      if (p.special || ++depth > MAX_DEPTH) {
        throw FALLBACK;
      }
      if (p.any) {
        any(end);
      } else {
        put('{');
        fields(p, end, true);
        put('}');
      }
      if (pos != end) {
        throw FALLBACK;
      }
      depth--;
    }

    /** Prints the fields of {@code p} from pos to end, each after a comma unless {@code first}. */
    void fields(Plan p, int end, boolean first) throws InvalidProtocolBufferException {
      Field[] fs = p.fields;
      int next = 0;
      int open = -1;
      int count = 0;
      long oneofs = 0;
      while (pos < end) {
        int tag = varint32();
        int wt = tag & 7;
        int i = p.indexOf(tag >>> 3);
        if (i < 0) {
          skip(wt, end);
          continue;
        }
        Field f = fs[i];
        if (open >= 0) {
          if (i == open) {
            count = f.map ? entry(f, wt, end, count) : elements(f, wt, end, count);
            continue;
          }
          put(fs[open].map ? '}' : ']');
          open = -1;
        }
        if (i < next) {
          throw FALLBACK;
        }
        first = defaults(fs, next, i, first);
        next = i + 1;
        if (f.oneof >= 0) {
          long bit = 1L << f.oneof;
          if ((oneofs & bit) != 0) {
            throw FALLBACK;
          }
          oneofs |= bit;
        }
        if (!first) {
          put(',');
        }
        first = false;
        put(f.key);
        if (f.map) {
          put('{');
          count = entry(f, wt, end, 0);
          open = i;
        } else if (f.repeated) {
          put('[');
          count = elements(f, wt, end, 0);
          open = i;
        } else {
          value(f, wt, end);
        }
      }
      if (open >= 0) {
        put(fs[open].map ? '}' : ']');
      }
      defaults(fs, next, fs.length, first);
    }

    private boolean defaults(Field[] fs, int from, int to, boolean first) {
      for (int k = from; k < to; k++) {
        Field f = fs[k];
        if (f.empty != null) {
          if (!first) {
            put(',');
          }
          first = false;
          put(f.key);
          put(f.empty);
        }
      }
      return first;
    }

    /** One record of a repeated field: a packed run or one element; returns the new count. */
    private int elements(Field f, int wt, int end, int count)
        throws InvalidProtocolBufferException {
      if (wt == 2 && f.wire != 2) {
        int limit = limit(end);
        while (pos < limit) {
          if (count++ > 0) {
            put(',');
          }
          value(f, f.wire, limit);
        }
        if (pos != limit) {
          throw FALLBACK;
        }
        return count;
      }
      if (count++ > 0) {
        put(',');
      }
      value(f, wt, end);
      return count;
    }

    /** One map entry (key, then value, each may be absent); returns the new count. */
    private int entry(Field f, int wt, int end, int count) throws InvalidProtocolBufferException {
      if (wt != 2) {
        throw FALLBACK;
      }
      int limit = limit(end);
      int keyAt = -1;
      int keyWire = 0;
      int valueAt = -1;
      int valueWire = 0;
      while (pos < limit) {
        int tag = varint32();
        int w = tag & 7;
        int n = tag >>> 3;
        if (n == 1) {
          keyAt = pos;
          keyWire = w;
        } else if (n == 2) {
          valueAt = pos;
          valueWire = w;
        }
        skip(w, limit);
      }
      if (pos != limit) {
        throw FALLBACK;
      }
      if (count++ > 0) {
        put(',');
      }
      Field k = f.mapKey;
      boolean quoted = k.wire == 2 || k.empty[0] == '"';
      if (!quoted) {
        put('"');
      }
      if (keyAt < 0) {
        put(k.empty);
      } else {
        pos = keyAt;
        value(k, keyWire, limit);
      }
      if (!quoted) {
        put('"');
      }
      put(':');
      Field v = f.mapValue;
      if (valueAt >= 0) {
        pos = valueAt;
        value(v, valueWire, limit);
      } else if (v.messageType != null) {
        pos = limit;
        message(v.nested(), limit);
      } else {
        put(v.empty);
      }
      pos = limit;
      return count;
    }

    /** One value of field f, whose record has wire type wt, ending at or before end. */
    private void value(Field f, int wt, int end) throws InvalidProtocolBufferException {
      if (wt != f.wire || f.special) {
        throw FALLBACK;
      }
      switch (f.type) {
        case DOUBLE:
          real(Double.longBitsToDouble(fixed64()));
          break;
        case FLOAT:
          {
            float v = Float.intBitsToFloat(fixed32());
            if (Float.isNaN(v) || Float.isInfinite(v)) {
              real(v);
            } else {
              putAscii(Float.toString(v));
            }
            break;
          }
        case INT64:
        case SFIXED64:
        case SINT64:
        case UINT64:
        case FIXED64:
          {
            long v =
                f.type == FieldDescriptor.Type.SFIXED64 || f.type == FieldDescriptor.Type.FIXED64
                    ? fixed64()
                    : varint64();
            if (f.type == FieldDescriptor.Type.SINT64) {
              v = (v >>> 1) ^ -(v & 1);
            }
            put('"');
            if (v < 0
                && (f.type == FieldDescriptor.Type.UINT64
                    || f.type == FieldDescriptor.Type.FIXED64)) {
              putAscii(Long.toUnsignedString(v));
            } else {
              decimal(v);
            }
            put('"');
            break;
          }
        case INT32:
          decimal((int) varint64());
          break;
        case SINT32:
          {
            int v = varint32();
            decimal((v >>> 1) ^ -(v & 1));
            break;
          }
        case UINT32:
          decimal(varint32() & 0xFFFFFFFFL);
          break;
        case FIXED32:
          decimal(fixed32() & 0xFFFFFFFFL);
          break;
        case SFIXED32:
          decimal(fixed32());
          break;
        case BOOL:
          putAscii(varint64() != 0 ? "true" : "false");
          break;
        case ENUM:
          put(f.names.of((int) varint64()));
          break;
        case STRING:
          string(limit(end));
          break;
        case BYTES:
          base64(limit(end));
          break;
        case MESSAGE:
          {
            int limit = limit(end);
            message(f.nested(), limit);
            break;
          }
        default:
          throw FALLBACK;
      }
      if (pos > end) {
        throw FALLBACK;
      }
    }

    /** {@code google.protobuf.Any}: {"@type": url, then the packed message's fields}. */
    private void any(int end) throws InvalidProtocolBufferException {
      int urlAt = -1;
      int valueAt = -1;
      boolean other = false;
      while (pos < end) {
        int tag = varint32();
        int w = tag & 7;
        int n = tag >>> 3;
        if (n == 1 && w == 2) {
          urlAt = pos;
        } else if (n == 2 && w == 2) {
          valueAt = pos;
        } else {
          other = true;
        }
        skip(w, end);
      }
      if (other) {
        throw FALLBACK;
      }
      int urlStart = -1;
      int urlEnd = -1;
      if (urlAt >= 0) {
        pos = urlAt;
        urlEnd = limit(end);
        urlStart = pos;
      }
      int valueStart = -1;
      int valueEnd = -1;
      if (valueAt >= 0) {
        pos = valueAt;
        valueEnd = limit(end);
        valueStart = pos;
      }
      if (urlEnd - urlStart <= 0 && valueEnd - valueStart <= 0) {
        put('{');
        put('}');
        pos = end;
        return;
      }
      if (urlStart < 0) {
        throw FALLBACK;
      }
      String url = new String(in, urlStart, urlEnd - urlStart, StandardCharsets.UTF_8);
      int slash = url.lastIndexOf('/');
      Descriptor type = slash < 0 ? null : registry.find(url.substring(slash + 1));
      if (type == null) {
        throw FALLBACK;
      }
      Plan content = plan(type);
      if (content.special || content.any) {
        throw FALLBACK;
      }
      put('{');
      put(ascii("\"@type\":"));
      pos = urlStart;
      string(urlEnd);
      if (valueStart >= 0) {
        pos = valueStart;
        if (++depth > MAX_DEPTH) {
          throw FALLBACK;
        }
        fields(content, valueEnd, false);
        depth--;
        if (pos != valueEnd) {
          throw FALLBACK;
        }
      } else {
        int save = pos;
        fields(content, pos, false);
        pos = save;
      }
      put('}');
      pos = end;
    }

    private void real(double v) {
      if (Double.isNaN(v)) {
        putAscii("\"NaN\"");
      } else if (Double.isInfinite(v)) {
        putAscii(v < 0 ? "\"-Infinity\"" : "\"Infinity\"");
      } else {
        putAscii(Double.toString(v));
      }
    }

    /** A length-prefixed record's end; pos is then at its first byte. */
    private int limit(int end) {
      int n = varint32();
      if (n < 0 || n > end - pos) {
        throw FALLBACK;
      }
      return pos + n;
    }

    private void skip(int wt, int end) {
      switch (wt) {
        case 0:
          varint64();
          break;
        case 1:
          pos += 8;
          break;
        case 2:
          pos = limit(end);
          break;
        case 5:
          pos += 4;
          break;
        default:
          throw FALLBACK;
      }
      if (pos > end) {
        throw FALLBACK;
      }
    }

    /** A JSON string of the UTF-8 bytes pos..limit, escaped as JsonFormat escapes. */
    void string(int limit) {
      byte[] b = in;
      put('"');
      int run = pos;
      int i = pos;
      while (i < limit) {
        int c = b[i] & 0xFF;
        if (c < 0x80) {
          byte[] r = ESCAPES[c];
          if (r != null) {
            put(b, run, i - run);
            put(r);
            run = i + 1;
          }
          i++;
          continue;
        }
        int n;
        int cp;
        if (c >= 0xC2 && c <= 0xDF) {
          n = 2;
          cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
          n = 3;
          cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
          n = 4;
          cp = c & 0x07;
        } else {
          throw FALLBACK;
        }
        if (n > limit - i) {
          throw FALLBACK;
        }
        for (int k = 1; k < n; k++) {
          int d = b[i + k] & 0xFF;
          if ((d & 0xC0) != 0x80) {
            throw FALLBACK;
          }
          cp = (cp << 6) | (d & 0x3F);
        }
        if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
            || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
          throw FALLBACK;
        }
        if (cp == 0x2028 || cp == 0x2029) {
          put(b, run, i - run);
          put(cp == 0x2028 ? U2028 : U2029);
          run = i + n;
        }
        i += n;
      }
      put(b, run, limit - run);
      put('"');
      pos = limit;
    }

    /** Base64 with padding (RFC 4648 section 4) of pos..limit, quoted. */
    private void base64(int limit) {
      int n = limit - pos;
      ensure(2 + (n + 2) / 3 * 4);
      byte[] o = out;
      int j = len;
      o[j++] = '"';
      int i = pos;
      for (; i + 2 < limit; i += 3) {
        int v = (in[i] & 0xFF) << 16 | (in[i + 1] & 0xFF) << 8 | (in[i + 2] & 0xFF);
        o[j++] = BASE64[v >>> 18];
        o[j++] = BASE64[(v >>> 12) & 63];
        o[j++] = BASE64[(v >>> 6) & 63];
        o[j++] = BASE64[v & 63];
      }
      if (i < limit) {
        int v = (in[i] & 0xFF) << 16 | (i + 1 < limit ? (in[i + 1] & 0xFF) << 8 : 0);
        o[j++] = BASE64[v >>> 18];
        o[j++] = BASE64[(v >>> 12) & 63];
        o[j++] = i + 1 < limit ? BASE64[(v >>> 6) & 63] : (byte) '=';
        o[j++] = '=';
      }
      o[j++] = '"';
      len = j;
      pos = limit;
    }

    private int varint32() {
      return (int) varint64();
    }

    private long varint64() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = in[pos++];
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return v;
        }
      }
      throw FALLBACK;
    }

    private int fixed32() {
      int p = pos;
      pos = p + 4;
      return (in[p] & 0xFF)
          | (in[p + 1] & 0xFF) << 8
          | (in[p + 2] & 0xFF) << 16
          | (in[p + 3] & 0xFF) << 24;
    }

    private long fixed64() {
      return (fixed32() & 0xFFFFFFFFL) | ((long) fixed32() << 32);
    }

    private void decimal(long v) {
      if (v == Long.MIN_VALUE) {
        putAscii("-9223372036854775808");
        return;
      }
      ensure(20);
      if (v < 0) {
        out[len++] = '-';
        v = -v;
      }
      int digits = 1;
      for (long t = v; t >= 10; t /= 10) {
        digits++;
      }
      int j = len + digits;
      len = j;
      do {
        out[--j] = (byte) ('0' + (int) (v % 10));
        v /= 10;
      } while (v != 0);
    }

    private void putAscii(String s) {
      int n = s.length();
      ensure(n);
      for (int i = 0; i < n; i++) {
        out[len++] = (byte) s.charAt(i);
      }
    }

    private void put(char c) {
      ensure(1);
      out[len++] = (byte) c;
    }

    private void put(byte[] b) {
      put(b, 0, b.length);
    }

    private void put(byte[] b, int from, int n) {
      ensure(n);
      System.arraycopy(b, from, out, len, n);
      len += n;
    }

    private void ensure(int n) {
      if (len + n > out.length) {
        out = Arrays.copyOf(out, Math.max(out.length * 2, len + n));
      }
    }
  }
}
