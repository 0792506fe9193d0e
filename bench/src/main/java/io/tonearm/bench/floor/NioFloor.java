package io.tonearm.bench.floor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The least a JVM does for peerbench's exchange: one JDK selector thread, the request head found
 * and read by hand, the WebSocket upgrade's accept key (RFC 6455 section 4.2.2) and unmasked text
 * frames written by hand. A floor for {@link FloorServer}, not a server: it reads only what the
 * exchange sends (no chunked bodies, no pipelining beyond what arrives whole, no close handshake).
 */
final class NioFloor {

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final List<Conn> listeners = new ArrayList<>();
  private final MessageDigest sha1;
  private long seq;

  private NioFloor() throws NoSuchAlgorithmException {
    sha1 = MessageDigest.getInstance("SHA-1");
  }

  static void run(int port) throws IOException, NoSuchAlgorithmException {
    new NioFloor().loop(port);
  }

  private void loop(int port) throws IOException {
    Selector selector = Selector.open();
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", port), 1024);
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
    System.out.println("nio floor listening on " + server.getLocalAddress());
    while (true) {
      selector.select();
      for (SelectionKey key : selector.selectedKeys()) {
        if (!key.isValid()) {
          continue;
        }
        if (key.isAcceptable()) {
          SocketChannel ch = server.accept();
          if (ch != null) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Conn c = new Conn(ch);
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
          }
          continue;
        }
        Conn c = (Conn) key.attachment();
        try {
          if (key.isWritable()) {
            c.flush();
          }
          if (key.isReadable()) {
            read(c);
          }
        } catch (IOException e) {
          close(c);
        }
      }
      selector.selectedKeys().clear();
    }
  }

  private void read(Conn c) throws IOException {
    int n = c.ch.read(c.in);
    if (n < 0) {
      close(c);
      return;
    }
    if (c.socket) {
      c.in.clear(); // a listener's frames (pongs) are read and dropped
      return;
    }
    while (true) {
      int headEnd = headEnd(c.in);
      if (headEnd < 0) {
        if (!c.in.hasRemaining()) {
          close(c); // a head longer than the buffer: not this exchange's
        }
        return;
      }
      String head = new String(c.in.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
      String[] lines = head.split("\r\n");
      String key = null;
      int length = 0;
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = lines[i].substring(colon + 1).trim();
        if (name.equals("sec-websocket-key")) {
          key = value;
        } else if (name.equals("content-length")) {
          length = Integer.parseInt(value);
        }
      }
      int total = headEnd + 4 + length;
      if (length < 0 || total > c.in.capacity()) {
        close(c); // a body the buffer cannot hold: not this exchange's
        return;
      }
      if (c.in.position() < total) {
        return;
      }
      String body = new String(c.in.array(), headEnd + 4, length, StandardCharsets.UTF_8);
      c.in.limit(c.in.position()).position(total);
      c.in.compact();
      if (key != null) {
        upgrade(c, key);
        return;
      }
      command(c, lines[0], body);
    }
  }

  private void upgrade(Conn c, String key) throws IOException {
    byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
    c.send(
        ascii(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: "
                + Base64.getEncoder().encodeToString(digest)
                + "\r\n\r\n"));
    c.socket = true;
    c.in.clear();
    listeners.add(c);
  }

  private void command(Conn c, String requestLine, String body) throws IOException {
    int volume = FloorServer.volume(body);
    if (!requestLine.startsWith("POST ") || volume < 0) {
      c.send(response("400 Bad Request", "{\"error\":\"POST {\\\"volume\\\":N}\"}"));
      return;
    }
    long n = ++seq;
    c.send(response("200 OK", FloorServer.reply(n, volume)));
    ByteBuffer event = frame(FloorServer.event(n, volume).getBytes(StandardCharsets.UTF_8));
    List<Conn> failed = new ArrayList<>();
    for (Conn listener : listeners) {
      try {
        listener.send(event.duplicate()); // encoded once; each socket its own position
      } catch (IOException e) {
        failed.add(listener); // that listener's socket, not the command's connection
      }
    }
    failed.forEach(this::close);
  }

  private void close(Conn c) {
    listeners.remove(c);
    c.key.cancel();
    try {
      c.ch.close();
    } catch (IOException ignored) {
      // closing a socket that failed: nothing to tell anyone
    }
  }

  /** The index of the {@code \r\n\r\n} that ends the head, or -1. */
  private static int headEnd(ByteBuffer in) {
    byte[] a = in.array();
    for (int i = 0; i + 3 < in.position(); i++) {
      if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static ByteBuffer response(String status, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    byte[] head =
        ("HTTP/1.1 "
                + status
                + "\r\ncontent-type: application/json\r\ncontent-length: "
                + b.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    return ByteBuffer.allocate(head.length + b.length).put(head).put(b).flip();
  }

  private static ByteBuffer frame(byte[] payload) {
    boolean small = payload.length < 126;
    ByteBuffer f = ByteBuffer.allocate(payload.length + (small ? 2 : 4));
    f.put((byte) 0x81);
    if (small) {
      f.put((byte) payload.length);
    } else {
      f.put((byte) 126).putShort((short) payload.length);
    }
    return f.put(payload).flip();
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** One connection: its read buffer, and what a full socket buffer left to write. */
  private static final class Conn {
    final SocketChannel ch;
    final ByteBuffer in = ByteBuffer.allocate(1 << 16);
    final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    SelectionKey key;
    boolean socket;

    Conn(SocketChannel ch) {
      this.ch = ch;
    }

    void send(ByteBuffer b) throws IOException {
      if (out.isEmpty()) {
        ch.write(b);
        if (!b.hasRemaining()) {
          return;
        }
        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
      }
      out.add(b);
    }

    void flush() throws IOException {
      while (!out.isEmpty()) {
        ByteBuffer b = out.peek();
        ch.write(b);
        if (b.hasRemaining()) {
          return;
        }
        out.poll();
      }
      key.interestOps(SelectionKey.OP_READ);
    }
  }
}
