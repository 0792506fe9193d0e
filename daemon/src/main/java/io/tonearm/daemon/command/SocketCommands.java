package io.tonearm.daemon.command;

import com.google.protobuf.Message;
import io.tonearm.daemon.access.Caller;
import io.tonearm.proto.v1.Origin;
import java.util.concurrent.CompletionStage;

/**
 * Runs the {@code Command} messages of the event socket: the origin's {@link CommandRunner}, or a
 * relay's forwarder to the origin. Thread-safe; {@link #run} does not block.
 */
public interface SocketCommands {

  /**
   * Runs {@code sent} for {@code caller} on a socket that follows {@code connectionZone}. The stage
   * carries the reply (a message with a {@code seq} field, the seq of the event it caused), or a
   * failure that {@link CommandRunner#error} turns into the {@code Error} to answer with; a refusal
   * changes nothing.
   */
  CompletionStage<Message> run(
      Caller caller, io.tonearm.proto.v1.Command sent, Origin origin, String connectionZone);
}
