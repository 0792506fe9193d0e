package io.tonearm.daemon.mpd;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of one response being built: {@code key: value} lines and binary chunks. Not
 * thread-safe: a command writes it, then the connection sends it.
 */
public final class Reply {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  /** Appends {@code key: value\n}; a value's newlines are replaced by spaces (one line each). */
  public Reply field(String key, Object value) {
    String v = String.valueOf(value);
    if (v.indexOf('\n') >= 0) {
      v = v.replace('\n', ' ');
    }
    return line(key + ": " + v);
  }

  /** Appends a line and its newline. */
  public Reply line(String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
    return this;
  }

  /** Appends lines already rendered (each ending with a newline). */
  public Reply raw(byte[] lines) {
    out.writeBytes(lines);
    return this;
  }

  /** Appends {@code binary: N\n}, the bytes and a newline. */
  public Reply binary(byte[] bytes, int offset, int length) {
    field("binary", length);
    out.write(bytes, offset, length);
    out.write('\n');
    return this;
  }

  /** Bytes written so far. */
  public int size() {
    return out.size();
  }

  public byte[] bytes() {
    return out.toByteArray();
  }

  /** Empties the reply for reuse. */
  public void reset() {
    out.reset();
  }
}
