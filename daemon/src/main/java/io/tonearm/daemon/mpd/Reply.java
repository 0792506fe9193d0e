package io.tonearm.daemon.mpd;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one response being built: {@code key: value} lines, binary chunks, and lines
 * rendered once and shared ({@link #raw}), which are kept by reference rather than copied, so that
 * a listing of the whole library sends the songs' cached bytes without building one large array.
 * Not thread-safe: a command writes it, then the connection sends it.
 */
public final class Reply {

  private final List<byte[]> chunks = new ArrayList<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
  private int chunked;

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

  /**
   * Appends lines already rendered (each ending with a newline). The array is kept, not copied: it
   * must never change afterwards.
   */
  public Reply raw(byte[] lines) {
    cut();
    chunks.add(lines);
    chunked += lines.length;
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
    return chunked + out.size();
  }

  /** The reply as the arrays to send in order (shared: read them, never change them). */
  public List<byte[]> chunks() {
    cut();
    return chunks;
  }

  /** The reply in one array (a copy). */
  public byte[] bytes() {
    ByteArrayOutputStream all = new ByteArrayOutputStream(size());
    for (byte[] c : chunks()) {
      all.writeBytes(c);
    }
    return all.toByteArray();
  }

  /** Empties the reply for reuse. */
  public void reset() {
    chunks.clear();
    chunked = 0;
    out.reset();
  }

  private void cut() {
    if (out.size() > 0) {
      byte[] b = out.toByteArray();
      chunks.add(b);
      chunked += b.length;
      out.reset();
    }
  }
}
