package io.tonearm.daemon.events;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.tonearm.proto.v1.Envelope;
import java.nio.charset.StandardCharsets;

/**
 * One published message, encoded once in binary protobuf and, only when a JSON client asks for it,
 * once in protobuf's JSON mapping. Every subscriber is written the same bytes.
 *
 * <p>It holds its parsed form ({@link #envelope}) until the history ring releases it (when the next
 * event is appended, see {@link HistoryRing#append}); after that it holds the bytes only and {@link
 * #envelope} parses them again. The history keeps only its newest events as objects; an older one
 * it makes again from its bytes when asked ({@link #ofHistory}).
 */
public final class EncodedEvent {

  /**
   * The one JSON printer for HTTP replies and socket messages. Fields without presence are printed
   * at their default values too (volume 0, repeat off, empty lists), so a client need not know
   * proto3's presence rules; unset message fields, oneof members and {@code optional} fields stay
   * absent, as they mean "not set".
   */
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer()
          .alwaysPrintFieldsWithNoPresence()
          .omittingInsignificantWhitespace()
          .preservingProtoFieldNames()
          .usingTypeRegistry(WireTypes.REGISTRY);

  private final long seq;
  private final Topic topic;

  /** Null once the history released it (it then parses {@link #binary} when asked). */
  private volatile Envelope envelope;

  /** Set at construction, or on first use for a {@link #snapshot} (the same bytes either way). */
  private volatile byte[] binary;

  private final String zone;
  private volatile byte[] json;
  private long cumulativeBytes;

  public EncodedEvent(long seq, Topic topic, Envelope envelope) {
    this(seq, topic, envelope, envelope.toByteArray());
  }

  private EncodedEvent(long seq, Topic topic, Envelope envelope, byte[] binary) {
    this(seq, topic, envelope, binary, envelope.getZone());
  }

  private EncodedEvent(long seq, Topic topic, Envelope envelope, byte[] binary, String zone) {
    this.seq = seq;
    this.topic = topic;
    this.envelope = envelope;
    this.binary = binary;
    this.zone = zone;
  }

  /**
   * A frame whose envelope was written in its binary encoding directly (a {@link
   * WireFrameSource}'s): the message is parsed from {@code binary} only if someone asks for it (its
   * JSON is printed from the bytes).
   */
  static EncodedEvent ofFrame(Topic topic, String zone, byte[] binary) {
    return new EncodedEvent(0, topic, null, binary, zone);
  }

  /** The zone it belongs to ({@code Envelope.zone}); "" for shared topics and control messages. */
  public String zone() {
    return zone;
  }

  /**
   * An event encoded elsewhere (a relay's copy of the origin's): {@code binary} is kept as the
   * bytes every client is written, {@code envelope} is its parsed form (for JSON clients).
   */
  public static EncodedEvent ofEncoded(long seq, Topic topic, Envelope envelope, byte[] binary) {
    return new EncodedEvent(seq, topic, envelope, binary);
  }

  /**
   * An event the history made again from its kept bytes ({@link HistoryRing#get}): the parsed form
   * and the socket forms are made from {@code binary} when asked for.
   */
  static EncodedEvent ofHistory(
      long seq, Topic topic, String zone, byte[] binary, long cumulativeBytes) {
    EncodedEvent e = new EncodedEvent(seq, topic, null, binary, zone);
    e.cumulativeBytes = cumulativeBytes;
    return e;
  }

  /**
   * A topic's snapshot as the hub keeps it between changes: encoded only when its bytes are first
   * asked for (a relay's cut), since a client is sent a copy stamped with the seq of the moment
   * (the whole queue, for the queue topic, is not encoded at every queue change for nothing).
   */
  public static EncodedEvent snapshot(Topic topic, Envelope envelope) {
    return new EncodedEvent(0, topic, envelope, null);
  }

  /** The state-lane seq, or 0 for frames and control messages. */
  public long seq() {
    return seq;
  }

  /** The topic, or null for control messages (hello, ack, error, pong). */
  public Topic topic() {
    return topic;
  }

  /**
   * The message. Parsed again from {@link #binary} on each call once the history released the
   * parsed form: listeners called at publication get it without parsing.
   */
  public Envelope envelope() {
    Envelope e = envelope;
    if (e != null) {
      return e;
    }
    try {
      return Envelope.parseFrom(binary());
    } catch (InvalidProtocolBufferException ex) {
      throw new IllegalStateException("an encoded event does not parse", ex);
    }
  }

  /** Drops the parsed form, encoding it first if needed; {@link #envelope} parses from now on. */
  void releaseParsed() {
    binary();
    envelope = null;
  }

  /** Whether the JSON text, the one socket form an event keeps, is still held (tests). */
  boolean holdsFrames() {
    return json != null;
  }

  /** Whether the parsed form is still held (tests). */
  boolean holdsParsed() {
    return envelope != null;
  }

  /** Binary protobuf encoding. Callers must not modify it. */
  public byte[] binary() {
    byte[] b = binary;
    if (b == null) {
      b = envelope.toByteArray();
      binary = b;
    }
    return b;
  }

  /**
   * JSON encoding (UTF-8), made on first use and then shared. Callers must not modify it. Made
   * once: event loops that ask at the same moment wait for the first one's encoding rather than
   * each printing it again.
   */
  public byte[] json() {
    byte[] j = json;
    if (j == null) {
      synchronized (this) {
        j = json;
        if (j == null) {
          j = WireJson.print(Envelope.getDescriptor(), binary(), WireTypes.REGISTRY);
          if (j == null) {
            j = toJson(envelope()).getBytes(StandardCharsets.UTF_8);
          }
          json = j;
        }
      }
    }
    return j;
  }

  /**
   * State lane: encoded bytes of all events up to and including this one, so the bytes between two
   * seqs are a subtraction. Set by the hub before the event is visible to readers.
   */
  public long cumulativeBytes() {
    return cumulativeBytes;
  }

  void cumulativeBytes(long total) {
    cumulativeBytes = total;
  }

  /**
   * The whole server-to-client WebSocket frame (RFC 6455 section 5.2: FIN, opcode, unmasked length,
   * payload) in binary ({@code text == false}) or JSON text, laid out in direct memory of its own
   * for each call (read-only). Not kept: the sockets do not write it; the fan-out and a session lay
   * the same bytes into pooled memory ({@link #webSocketHeader(boolean, byte[])}, {@link
   * #webSocketPayload}), so this is the frame's reference form, for callers that want it whole.
   */
  public java.nio.ByteBuffer webSocketFrame(boolean text) {
    byte[] header = webSocketHeader(text);
    byte[] payload = webSocketPayload(text);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(header.length + payload.length);
    b.put(header).put(payload).flip();
    return b.asReadOnlyBuffer();
  }

  /**
   * The head of the server-to-client WebSocket frame of {@link #webSocketFrame}: FIN, opcode and
   * the unmasked payload length (RFC 6455 section 5.2), 2, 4 or 10 bytes; the payload ({@link
   * #webSocketPayload}) follows it. For a caller that lays the frame out in memory of its own.
   */
  public byte[] webSocketHeader(boolean text) {
    byte[] h = new byte[10];
    return java.util.Arrays.copyOf(h, webSocketHeader(text, h));
  }

  /**
   * Puts {@link #webSocketHeader} into {@code into} (at least 10 bytes) from index 0 and returns
   * its length: the same head without an array of its own, for a caller that copies many frames.
   */
  public int webSocketHeader(boolean text, byte[] into) {
    int n = webSocketPayload(text).length;
    into[0] = (byte) (text ? 0x81 : 0x82);
    if (n < 126) {
      into[1] = (byte) n;
      return 2;
    }
    if (n <= 0xFFFF) {
      into[1] = (byte) 126;
      into[2] = (byte) (n >>> 8);
      into[3] = (byte) n;
      return 4;
    }
    into[1] = (byte) 127;
    for (int i = 0; i < 8; i++) {
      into[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
    }
    return 10;
  }

  /** Bytes of {@link #webSocketFrame}: its head (2, 4 or 10 bytes) and its payload. */
  public int webSocketFrameSize(boolean text) {
    int n = webSocketPayload(text).length;
    return (n < 126 ? 2 : n <= 0xFFFF ? 4 : 10) + n;
  }

  /** The payload of {@link #webSocketFrame}: the JSON text or the binary encoding. */
  public byte[] webSocketPayload(boolean text) {
    return text ? json() : binary();
  }

  /** Size in bytes of the binary encoding. */
  public int size() {
    return binary().length;
  }

  /**
   * {@link #toJson}'s text in UTF-8, printed from the message's binary encoding by {@link WireJson}
   * (no reflection), or by {@code JsonFormat} where WireJson cannot print it exactly.
   */
  public static byte[] jsonBytes(com.google.protobuf.Message message) {
    return jsonBytes(message, message.toByteArray());
  }

  /** {@link #jsonBytes(com.google.protobuf.Message)} with the message's binary encoding at hand. */
  static byte[] jsonBytes(com.google.protobuf.MessageOrBuilder message, byte[] binary) {
    byte[] j = WireJson.print(message.getDescriptorForType(), binary, WireTypes.REGISTRY);
    return j != null ? j : toJson(message).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Protobuf's JSON mapping with proto field names, on one line, fields at their default values
   * included. The reflective printer: {@link #jsonBytes} prints the same bytes faster.
   */
  public static String toJson(com.google.protobuf.MessageOrBuilder message) {
    try {
      return JSON.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("message cannot be printed as JSON", e);
    }
  }
}
