package io.tonearm.daemon.command;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Empty;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnsafeByteOperations;
import io.tonearm.daemon.access.AuditLog;
import io.tonearm.daemon.access.Caller;
import io.tonearm.daemon.access.CommandLimits;
import io.tonearm.daemon.access.Scope;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.events.StateLane;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.events.ZoneId;
import io.tonearm.proto.v1.CommandExecuted;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Error;
import io.tonearm.proto.v1.Origin;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Runs commands of the {@link CommandTable} for every edge: applies the handler, then broadcasts a
 * {@code CommandExecuted} on topic {@code commands} for each applied command that changes state (a
 * refusal publishes nothing). Thread-safe; {@link #run} does not block.
 */
public final class CommandRunner implements SocketCommands {

  /** Largest request (encoded bytes) copied into a CommandExecuted; larger ones are left out. */
  public static final int MAX_BROADCAST_REQUEST_BYTES = 4096;

  private final CommandTable table;
  private final StateLane lane;
  private final CommandLimits limits;
  private final AuditLog audit;
  private final Predicate<String> zoneExists;

  /** A runner that checks scopes only (no rate limits, no audit log): tests, tools. */
  public CommandRunner(CommandTable table, StateLane lane) {
    this(table, lane, null, null);
  }

  /** A runner of a daemon whose only zone is "default". */
  public CommandRunner(CommandTable table, StateLane lane, CommandLimits limits, AuditLog audit) {
    this(table, lane, limits, audit, ZoneId.DEFAULT::equals);
  }

  /**
   * @param limits the command rate limits, or null for none
   * @param audit where admin commands are logged, or null
   * @param zoneExists whether a zone id names a zone now (any thread)
   */
  public CommandRunner(
      CommandTable table,
      StateLane lane,
      CommandLimits limits,
      AuditLog audit,
      Predicate<String> zoneExists) {
    this.table = table;
    this.lane = lane;
    this.limits = limits;
    this.audit = audit;
    this.zoneExists = zoneExists;
  }

  /**
   * The parameters a zoned command runs with: {@code params} with {@code zone} set to the zone it
   * acts on, checked (see {@link Command.Zoning}): 403 {@code zone_forbidden} for a zone the caller
   * may not use, 404 {@code zone_not_found} for one that does not exist. A shared command's are
   * returned as they are.
   */
  Map<String, String> zoned(Caller caller, Command<?> c, Map<String, String> params) {
    if (c.zoning() == Command.Zoning.SHARED) {
      return params;
    }
    String zone = caller.principal().zoneFor(params.get(Call.ZONE_PARAM));
    if (!zoneExists.test(zone)) {
      throw notFound(zone);
    }
    if (params.isEmpty()) {
      // Most commands (volume, play...) carry no parameter: an immutable map, which Call keeps as
      // it is, where a HashMap would be copied again through a reflective array.
      return Map.of(Call.ZONE_PARAM, zone);
    }
    Map<String, String> out = new java.util.HashMap<>(params);
    out.put(Call.ZONE_PARAM, zone);
    return out;
  }

  /** 404 {@code zone_not_found}. */
  public static DomainException notFound(String zone) {
    return DomainException.zoneNotFound(zone);
  }

  /**
   * Lets a caller run the command (or HTTP-only route) {@code name}, or refuses: 403 {@code
   * scope_missing} when its token lacks {@code scope}, 429 {@code rate_limited} past its rate. The
   * one rule every edge applies; a refusal changes nothing.
   *
   * @param scope what the command needs; null for a command any connection may use (MPD's {@code
   *     ping}, {@code password}...), which is still rate limited
   */
  public void admit(Caller caller, String name, Scope scope) {
    if (scope != null) {
      caller.principal().require(scope, name);
    }
    if (limits != null) {
      limits.take(caller);
    }
  }

  public CommandTable table() {
    return table;
  }

  /**
   * Applies {@code command} and broadcasts it when it changes state. The stage carries the reply,
   * or a {@link DomainException} (also when the handler threw one before returning a stage).
   *
   * @param caller who sent it, checked by {@link #admit} first
   * @param origin who sent it; its {@code command} is set to the command's name here
   */
  public <Q extends Message> CompletionStage<Message> run(
      Caller caller, Command<Q> command, Q request, Map<String, String> params, Origin origin) {
    try {
      admit(caller, command.name(), command.scope());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return runAdmitted(caller, command, request, params, origin);
  }

  /** {@link #run} for a caller already admitted (HTTP admits before it parses the body). */
  <Q extends Message> CompletionStage<Message> runAdmitted(
      Caller caller, Command<Q> command, Q request, Map<String, String> params, Origin origin) {
    return runAdmitted(caller, command, request, params, origin, AS_IS);
  }

  private static final Function<Message, Message> AS_IS = m -> m;

  /**
   * {@link #runAdmitted(Caller, Command, Message, Map, Origin)} whose stage carries {@code
   * reply.apply(r)} for the command's reply {@code r}: applied in the stage that broadcasts it, not
   * a stage of its own (HTTP's response).
   */
  @SuppressWarnings("unchecked") // a stage of a Message subtype is only read as one of Message
  <Q extends Message, R> CompletionStage<R> runAdmitted(
      Caller caller,
      Command<Q> command,
      Q request,
      Map<String, String> params,
      Origin origin,
      Function<? super Message, ? extends R> reply) {
    // HTTP names the command in the origin it builds; the socket's is named here.
    Origin who =
        origin.getCommand().equals(command.name())
            ? origin
            : origin.toBuilder().setCommand(command.name()).build();
    boolean broadcast = command.mutates() && !command.name().startsWith("auth.");
    // The request's encoding, made once for the required-field check and the CommandExecuted.
    byte[] encoded = broadcast && !(request instanceof Empty) ? request.toByteArray() : null;
    CompletionStage<Message> result;
    Map<String, String> withZone = params;
    try {
      withZone = zoned(caller, command, params);
      RequiredFields.check(command.name(), request, encoded);
      result =
          (CompletionStage<Message>)
              command.handler().apply(new Call<>(request, withZone, who, caller));
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    String zone =
        command.zoning() == Command.Zoning.SHARED
            ? ""
            : withZone.getOrDefault(Call.ZONE_PARAM, ZoneId.DEFAULT);
    if (audit != null && command.scope() == Scope.ADMIN && command.mutates()) {
      result =
          result.whenComplete(
              (r, err) ->
                  audit.admin(
                      caller,
                      command.name(),
                      params.isEmpty() ? "" : new java.util.TreeMap<>(params).toString(),
                      err == null ? "ok" : error(err).getCode()));
    }
    if (!broadcast) {
      return result.thenApply(reply);
    }
    return result.thenApply(new Broadcast<>(this, zone, command, encoded, who, reply));
  }

  /**
   * The stage after a state-changing command: broadcasts it, then maps its reply. A class, not a
   * lambda: under C1 a capturing lambda is made through a method handle each time.
   */
  private record Broadcast<R>(
      CommandRunner runner,
      String zone,
      Command<?> command,
      byte[] encoded,
      Origin who,
      Function<? super Message, ? extends R> reply)
      implements Function<Message, R> {
    @Override
    public R apply(Message r) {
      // A zone's creation or removal is told only to those who may see that zone.
      String tag = r instanceof io.tonearm.proto.v1.ZoneReply z ? z.getZone().getId() : zone;
      runner.broadcast(tag, command, encoded, who, r);
      return reply.apply(r);
    }
  }

  /**
   * Runs a command sent on the socket: looks it up by name and unpacks its request, which must be
   * of the command's declared type (or absent, or {@code Empty}, for a command without a body).
   * Lookup and type failures are refused before anything runs and are not broadcast; a route that
   * is HTTP only (bytes in or out, see {@link CommandTable#httpOnly}) is refused with {@code
   * http_only} naming its method and path.
   */
  public CompletionStage<Message> run(
      Caller caller, io.tonearm.proto.v1.Command sent, Origin origin) {
    return run(caller, sent, origin, "");
  }

  /**
   * {@link #run(Caller, io.tonearm.proto.v1.Command, Origin)} from a connection that follows zone
   * {@code connectionZone}: a zoned command that names no zone ({@code Command.zone}, or {@code
   * params["zone"]}) acts on that one.
   */
  @Override
  public CompletionStage<Message> run(
      Caller caller, io.tonearm.proto.v1.Command sent, Origin origin, String connectionZone) {
    for (CommandTable.HttpRoute r : table.httpOnly()) {
      if (r.name().equals(sent.getName())) {
        throw new DomainException(
            DomainException.Kind.INVALID,
            "http_only",
            r.name()
                + " answers or takes raw bytes, not a message: "
                + r.method()
                + " "
                + r.path()
                + " over HTTP",
            Map.of("name", r.name(), "method", r.method(), "path", r.path()));
      }
    }
    Command<?> c =
        table
            .byName(sent.getName())
            .orElseThrow(
                () ->
                    new DomainException(
                        DomainException.Kind.NOT_FOUND,
                        "unknown_command",
                        "unknown command: " + clip(sent.getName()),
                        Map.of("name", clip(sent.getName()))));
    return runUnpacked(caller, c, sent, origin, connectionZone);
  }

  private <Q extends Message> CompletionStage<Message> runUnpacked(
      Caller caller,
      Command<Q> c,
      io.tonearm.proto.v1.Command sent,
      Origin origin,
      String connectionZone) {
    try {
      admit(caller, c.name(), c.scope()); // before the request is even unpacked
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    Q request;
    try {
      request = unpack(c, sent.getRequest());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    Map<String, String> params = sent.getParamsMap();
    String named = !sent.getZone().isEmpty() ? sent.getZone() : params.get(Call.ZONE_PARAM);
    if (named == null || named.isEmpty()) {
      named = connectionZone;
    }
    if (named != null && !named.isEmpty()) {
      params = new java.util.HashMap<>(params);
      params.put(Call.ZONE_PARAM, named);
    }
    return runAdmitted(caller, c, request, params, origin);
  }

  @SuppressWarnings("unchecked") // checked against the declared type's descriptor first
  private static <Q extends Message> Q unpack(Command<Q> c, Any any) {
    Q type = c.request();
    if (any.getTypeUrl().isEmpty()
        || (type instanceof Empty && any.is(Empty.class) && any.getValue().isEmpty())) {
      return type;
    }
    String expected = type.getDescriptorForType().getFullName();
    String sent = any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
    if (!sent.equals(expected)) {
      throw new DomainException(
          DomainException.Kind.INVALID,
          "wrong_request_type",
          c.name() + " takes a " + expected + ", got " + clip(sent),
          Map.of("expected", expected, "got", clip(sent)));
    }
    try {
      return (Q) type.getParserForType().parseFrom(any.getValue());
    } catch (InvalidProtocolBufferException e) {
      throw DomainException.badRequest("malformed " + expected + ": " + e.getMessage());
    }
  }

  /**
   * Publishes the {@code CommandExecuted} of a command whose request encodes to {@code encoded}
   * (null for a request without a body).
   */
  private void broadcast(String zone, Command<?> c, byte[] encoded, Origin who, Message reply) {
    CommandExecuted.Builder e = CommandExecuted.newBuilder().setName(c.name()).setOrigin(who);
    if (encoded != null
        && !c.name().startsWith("tokens.") // token names and scopes stay among admins
        && encoded.length <= MAX_BROADCAST_REQUEST_BYTES) {
      // What Any.pack makes, from the bytes at hand and the type's URL made once.
      e.setRequest(
          Any.newBuilder()
              .setTypeUrl(typeUrl(c.request().getDescriptorForType()))
              .setValue(UnsafeByteOperations.unsafeWrap(encoded)));
    }
    e.setSeq(seqOf(reply, lane.currentSeq()));
    lane.publish(zone, Topic.COMMANDS, Envelope.newBuilder().setCommands(e), null);
  }

  /** Any's type URLs by the type's full name (a String keeps its hash). */
  private static final Map<String, String> TYPE_URLS = new ConcurrentHashMap<>();

  /** {@code Any.pack}'s type URL of a message type. */
  static String typeUrl(Descriptor type) {
    String url = TYPE_URLS.get(type.getFullName());
    if (url == null) {
      url = "type.googleapis.com/" + type.getFullName();
      TYPE_URLS.put(type.getFullName(), url);
    }
    return url;
  }

  /** The {@code seq} field of a reply (every command reply has one), or {@code fallback}. */
  public static long seqOf(Message reply, long fallback) {
    if (reply instanceof io.tonearm.proto.v1.PlayerReply p) {
      // Every player command's reply: read directly, without the reflective call the descriptor's
      // accessor makes (about 1.5 % of a volume command's CPU with the C1-only JIT).
      return p.getSeq();
    }
    FieldDescriptor f = reply.getDescriptorForType().findFieldByName("seq");
    if (f == null || f.getJavaType() != FieldDescriptor.JavaType.LONG) {
      return fallback;
    }
    return (Long) reply.getField(f);
  }

  /** The {@code Error} a failure is reported as (an unexpected one is {@code internal}). */
  public static Error error(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof DomainException d) {
      return Error.newBuilder()
          .setCode(d.code())
          .setMessage(String.valueOf(d.getMessage()))
          .putAllDetails(d.details())
          .build();
    }
    return Error.newBuilder()
        .setCode("internal")
        .setMessage("internal error: " + t.getClass().getSimpleName())
        .build();
  }

  /** The cause under a {@link CompletionException}. */
  public static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 80) : s;
  }
}
