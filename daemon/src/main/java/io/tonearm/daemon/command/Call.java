package io.tonearm.daemon.command;

import com.google.protobuf.Message;
import io.tonearm.daemon.access.Caller;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.errors.IntParameter;
import io.tonearm.proto.v1.Origin;
import java.util.Map;

/**
 * One command as a handler sees it, whichever edge it came from (HTTP, the socket, MPD's protocol).
 *
 * @param request the parsed request message, of the command's declared type (its default instance
 *     when the command takes no body)
 * @param params named parameters: the path's {@code {name}} segments and, over HTTP, the query's
 *     first values; on the socket, {@code Command.params}
 * @param origin who sent it, with {@code Origin.command} set to the command's name
 * @param caller the principal and address it came from (already admitted)
 * @param <Q> the request message type
 */
public record Call<Q extends Message>(
    Q request, Map<String, String> params, Origin origin, Caller caller) {

  public Call {
    params = Map.copyOf(params);
  }

  /** A call from the daemon itself (tests, internal callers). */
  public Call(Q request, Map<String, String> params, Origin origin) {
    this(request, params, origin, Caller.INTERNAL);
  }

  /**
   * The zone a zoned command acts on, as the {@link CommandRunner} resolved and checked it
   * ("default" for a call from the daemon itself).
   */
  public String zone() {
    String z = params.get(ZONE_PARAM);
    return z == null || z.isEmpty() ? io.tonearm.daemon.events.ZoneId.DEFAULT : z;
  }

  /** The parameter that names a zone ({@code ?zone=} over HTTP). */
  public static final String ZONE_PARAM = "zone";

  /** A required parameter; a 400 ({@link DomainException.Kind#INVALID}) when missing or empty. */
  public String param(String name) {
    String v = params.get(name);
    if (v == null || v.isEmpty()) {
      throw DomainException.badRequest(name + " is required");
    }
    return v;
  }

  /** An optional parameter, or {@code fallback}. */
  public String param(String name, String fallback) {
    String v = params.get(name);
    return v == null ? fallback : v;
  }

  /** An optional integer parameter in [min, max], or {@code fallback} when absent. */
  public int intParam(String name, int fallback, int min, int max) {
    return IntParameter.parse(name, params.get(name), fallback, min, max);
  }
}
