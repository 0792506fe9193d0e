package io.tonearm.daemon.relay;

import com.google.protobuf.Message;
import io.tonearm.daemon.access.Caller;
import io.tonearm.daemon.command.SocketCommands;
import io.tonearm.daemon.config.RedisConfig;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.proto.v1.Origin;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A relay's socket commands. This first version forwards nothing: every command is refused with
 * {@code unavailable} naming the origin to send it to.
 */
public final class OriginCommands implements SocketCommands {

  private final String origin;

  private OriginCommands(String origin) {
    this.origin = origin;
  }

  public static OriginCommands to(RedisConfig redis) {
    return new OriginCommands(redis.origin());
  }

  @Override
  public CompletionStage<Message> run(
      Caller caller, io.tonearm.proto.v1.Command sent, Origin origin, String connectionZone) {
    return CompletableFuture.failedFuture(
        new DomainException(
            DomainException.Kind.UNAVAILABLE,
            "unavailable",
            "this relay does not forward commands yet; send them to the origin at " + this.origin));
  }
}
