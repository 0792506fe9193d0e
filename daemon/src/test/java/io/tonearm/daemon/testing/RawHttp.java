package io.tonearm.daemon.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain TCP client for requests no well-behaved client library will send. */
public final class RawHttp implements AutoCloseable {

  private final Socket socket;

  public RawHttp(int port, int receiveBuffer) throws IOException {
    this("127.0.0.1", port, receiveBuffer);
  }

  /** Connects to {@code host:port}, with a small receive buffer when {@code receiveBuffer > 0}. */
  public RawHttp(String host, int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress(host, port), 5000);
    socket.setSoTimeout(10_000);
  }

  public void write(String s) throws IOException {
    write(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  public void write(byte[] b) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(b);
    out.flush();
  }

  /** Sends a WebSocket upgrade for {@code path} with an optional Origin and returns the head. */
  public String upgrade(String path, String origin) throws IOException {
    write(
        "GET "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + (origin == null ? "" : "Origin: " + origin + "\r\n")
            + "\r\n");
    return readHead();
  }

  /**
   * Writes one masked client frame: {@code first} is the first header byte (FIN, RSV, opcode), the
   * payload any length.
   */
  public void writeFrame(int first, byte[] payload) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(first);
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      out.write(0x80 | 126);
      out.write(payload.length >> 8);
      out.write(payload.length);
    } else {
      out.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) payload.length >> shift));
      }
    }
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    out.write(mask, 0, 4);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i & 3]);
    }
    write(out.toByteArray());
  }

  /** Reads up to the end of the response head (the blank line). */
  public String readHead() throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      sb.append((char) c);
      if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return sb.toString();
  }

  /** The value of header {@code name} (any case) in a response head, or null. */
  public static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** Reads the body announced by {@code head}'s Content-Length (ISO-8859-1 text). */
  public String readBody(String head) throws IOException {
    String length = header(head, "content-length");
    int len = length == null ? 0 : Integer.parseInt(length);
    byte[] b = new byte[len];
    new java.io.DataInputStream(socket.getInputStream()).readFully(b);
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /**
   * Reads one unmasked server frame of up to 64 KiB and returns it whole: the two header bytes, any
   * extended length, then the payload.
   */
  public byte[] readFrame() throws IOException {
    java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    int len = b1 & 0x7F;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(b0);
    out.write(b1);
    if (len == 126) {
      len = in.readUnsignedShort();
      out.write(len >> 8);
      out.write(len);
    }
    byte[] payload = new byte[len];
    in.readFully(payload);
    out.write(payload, 0, len);
    return out.toByteArray();
  }

  /** Reads until the server closes the connection; returns the bytes read (at most 1 MiB kept). */
  public int drainUntilClosed() throws IOException {
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    int total = 0;
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        total += n;
      }
    } catch (java.net.SocketException e) {
      // reset by the server: closed as well
    }
    return total;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
