package io.tonearm.daemon.api;

import com.google.protobuf.Message;
import java.util.Map;

/**
 * What a handler answers: a protobuf message (sent as JSON or protobuf as the client asked) or raw
 * bytes with their own content type (artwork, waveform data, M3U).
 */
public sealed interface ApiResponse {

  /** HTTP status. */
  int status();

  /** A protobuf message, encoded at the edge in the format the client asked for. */
  record Proto(int status, Message message) implements ApiResponse {}

  /** Raw bytes with a content type and extra headers (ETag, Cache-Control...). */
  record Bytes(int status, String contentType, byte[] body, Map<String, String> headers)
      implements ApiResponse {}

  static ApiResponse ok(Message message) {
    return new Proto(200, message);
  }

  static ApiResponse created(Message message) {
    return new Proto(201, message);
  }

  static ApiResponse bytes(String contentType, byte[] body, Map<String, String> headers) {
    return new Bytes(200, contentType, body, headers);
  }
}
