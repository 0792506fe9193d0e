package io.tonearm.daemon.transport.ws;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.tonearm.daemon.command.Sender;
import io.tonearm.daemon.events.Topic;
import io.tonearm.proto.v1.CommandSource;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a client asks for in the {@code /ws} URL: {@code ?topics=a,b}, {@code ?resume=epoch:seq},
 * {@code ?format=json|binary}, {@code ?fps=N} (for the frame topics named in the URL), {@code
 * ?client=NAME} and {@code ?source=user|automation|assistant} (who sends this socket's commands),
 * {@code ?zone=ID} (the zone the socket follows).
 *
 * @param resumeEpoch null when no resume was asked for
 * @param zone the zone named, or null when none (checked at the gate)
 */
record WsRequest(
    Set<Topic> topics,
    String resumeEpoch,
    long resumeSeq,
    boolean json,
    int fps,
    String clientName,
    CommandSource source,
    String zone) {

  /** Most topics one URL may name (there are fewer topics than this). */
  static final int MAX_TOPICS = 32;

  /**
   * Parses and checks the URL.
   *
   * @throws IllegalArgumentException with a message for the client when anything is malformed
   */
  static WsRequest parse(String uri) {
    QueryStringDecoder q = new QueryStringDecoder(uri);
    Set<Topic> topics = EnumSet.noneOf(Topic.class);
    for (String list : q.parameters().getOrDefault("topics", List.of())) {
      String[] names = list.split(",", -1);
      if (names.length > MAX_TOPICS) {
        throw new IllegalArgumentException("at most " + MAX_TOPICS + " topics");
      }
      for (String name : names) {
        if (name.isBlank()) {
          continue;
        }
        topics.add(
            Topic.byWireName(name.trim())
                .orElseThrow(() -> new IllegalArgumentException("unknown topic: " + name.trim())));
      }
    }
    String epoch = null;
    long seq = 0;
    String resume = first(q, "resume");
    if (resume != null && !resume.isEmpty()) {
      long[] parsed = new long[1];
      epoch = parseResume(resume, parsed);
      seq = parsed[0];
    }
    String format = first(q, "format");
    boolean json;
    if (format == null || format.equals("binary")) {
      json = false;
    } else if (format.equals("json")) {
      json = true;
    } else {
      throw new IllegalArgumentException("format must be json or binary, got " + format);
    }
    int fps = 0;
    String fpsParam = first(q, "fps");
    if (fpsParam != null) {
      try {
        fps = Integer.parseInt(fpsParam);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("fps must be an integer, got " + fpsParam);
      }
      if (fps < 0) {
        throw new IllegalArgumentException("fps must be 0 to 120, got " + fps);
      }
    }
    String clientName = Sender.name(first(q, "client"));
    CommandSource source = Sender.source(first(q, "source"));
    String zone = first(q, "zone");
    if (zone != null && zone.length() > 200) {
      throw new IllegalArgumentException("zone must be at most 200 characters");
    }
    return new WsRequest(
        topics,
        epoch,
        seq,
        json,
        fps,
        clientName,
        source,
        zone == null || zone.isEmpty() ? null : zone);
  }

  /**
   * Parses {@code epoch:seq}; returns the epoch and puts the seq in {@code seqOut[0]}.
   *
   * @throws IllegalArgumentException when malformed
   */
  static String parseResume(String resume, long[] seqOut) {
    int colon = resume.lastIndexOf(':');
    if (colon <= 0 || colon == resume.length() - 1 || resume.length() > 64) {
      throw new IllegalArgumentException("resume must be <epoch>:<seq>, got " + resume);
    }
    try {
      seqOut[0] = Long.parseLong(resume.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("resume seq must be an integer, got " + resume);
    }
    if (seqOut[0] < 0) {
      throw new IllegalArgumentException("resume seq must not be negative");
    }
    return resume.substring(0, colon);
  }

  private static String first(QueryStringDecoder q, String name) {
    List<String> v = q.parameters().get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
