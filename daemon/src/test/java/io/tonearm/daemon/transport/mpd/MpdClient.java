package io.tonearm.daemon.transport.mpd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A raw MPD protocol client for tests: sends lines, reads replies up to OK or ACK. */
final class MpdClient implements AutoCloseable {

  final Socket socket;
  final InputStream in;
  final OutputStream out;
  final String greeting;

  MpdClient(int port) throws IOException {
    this("127.0.0.1", port);
  }

  MpdClient(String host, int port) throws IOException {
    socket = new Socket(host, port);
    socket.setSoTimeout(15_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
    greeting = readLine();
  }

  void send(String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Sends one command and returns its lines, the final OK or ACK line included. */
  List<String> call(String line) throws IOException {
    send(line);
    return reply();
  }

  List<String> reply() throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String l = readLine();
      if (l == null) {
        lines.add("<closed>");
        return lines;
      }
      lines.add(l);
      if (l.equals("OK") || l.startsWith("ACK ")) {
        return lines;
      }
    }
  }

  /** The value of the first {@code key: value} line, or null. */
  static String field(List<String> lines, String key) {
    for (String l : lines) {
      if (l.startsWith(key + ": ")) {
        return l.substring(key.length() + 2);
      }
    }
    return null;
  }

  static List<String> fields(List<String> lines, String key) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      if (l.startsWith(key + ": ")) {
        out.add(l.substring(key.length() + 2));
      }
    }
    return out;
  }

  String readLine() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (true) {
      int c = in.read();
      if (c < 0) {
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
      }
      if (c == '\n') {
        return b.toString(StandardCharsets.UTF_8);
      }
      b.write(c);
    }
  }

  byte[] readBytes(int n) throws IOException {
    return in.readNBytes(n);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
