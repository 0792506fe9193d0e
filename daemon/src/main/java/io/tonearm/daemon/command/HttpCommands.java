package io.tonearm.daemon.command;

import com.google.protobuf.Message;
import io.tonearm.daemon.api.ApiException;
import io.tonearm.daemon.api.ApiRequest;
import io.tonearm.daemon.api.ApiResponse;
import io.tonearm.daemon.api.Router;
import io.tonearm.proto.v1.Origin;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Mounts the {@link CommandTable} on the HTTP {@link Router}: each command's body is parsed into
 * its request message on the event loop (a malformed body is a 400 before anything happens), and
 * its reply goes back as the command's success status. The {@code X-Tonearm-Client} and {@code
 * X-Tonearm-Source} headers name the sender in the events the command causes; {@code ?zone=} (or
 * the {@code X-Tonearm-Zone} header) names the zone a zoned command acts on.
 */
public final class HttpCommands {

  private HttpCommands() {}

  /** Adds one route per command of the runner's table. */
  public static void mount(Router router, CommandRunner runner) {
    for (Command<?> c : runner.table().commands()) {
      Function<Message, ApiResponse> reply = m -> new ApiResponse.Proto(c.status(), m);
      router.add(c.method(), c.path(), req -> handle(runner, c, req, reply));
    }
    for (CommandTable.HttpRoute r : runner.table().httpOnly()) {
      router.add(
          r.method(),
          r.path(),
          req -> {
            runner.admit(req.caller(), r.name(), r.scope());
            return r.handler().handle(req);
          });
    }
  }

  /**
   * @param reply the command's response for its reply message (made once per route: a lambda
   *     capturing the command, made per request, is a method-handle call under C1)
   */
  private static <Q extends Message> CompletionStage<ApiResponse> handle(
      CommandRunner runner, Command<Q> c, ApiRequest req, Function<Message, ApiResponse> reply) {
    runner.admit(req.caller(), c.name(), c.scope()); // before the body is parsed
    Origin origin;
    try {
      origin =
          Origin.newBuilder()
              .setClient(req.client())
              .setClientName(Sender.name(req.header("x-tonearm-client")))
              .setSource(Sender.source(req.header("x-tonearm-source")))
              .setCommand(c.name()) // as the runner would: the origin is not built twice
              .build();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    @SuppressWarnings("unchecked") // newBuilderForType() of a Q builds a Q
    Q request = (Q) req.parse(c.request().newBuilderForType()).build();
    Map<String, String> params = new HashMap<>();
    for (Map.Entry<String, List<String>> q : req.query().entrySet()) {
      if (!q.getValue().isEmpty()) {
        params.put(q.getKey(), q.getValue().get(0));
      }
    }
    params.putAll(req.pathParams()); // a path segment wins over a query parameter of its name
    String zoneHeader = req.header("x-tonearm-zone");
    if (zoneHeader != null && !zoneHeader.isEmpty()) {
      params.putIfAbsent(Call.ZONE_PARAM, zoneHeader); // ?zone= wins over the header
    }
    return runner.runAdmitted(req.caller(), c, request, params, origin, reply);
  }
}
