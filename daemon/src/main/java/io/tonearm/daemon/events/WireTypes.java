package io.tonearm.daemon.events;

import com.google.protobuf.Empty;
import com.google.protobuf.TypeRegistry;
import io.tonearm.proto.v1.Envelope;

/**
 * Every message type of {@code tonearm.v1} (and {@code google.protobuf.Empty}), so that the {@code
 * google.protobuf.Any} fields of the socket's command messages print and parse in JSON.
 */
public final class WireTypes {

  /** The registry; immutable and shared. */
  public static final TypeRegistry REGISTRY =
      TypeRegistry.newBuilder()
          .add(Envelope.getDescriptor()) // its file and every file it imports
          .add(Empty.getDescriptor())
          .add(io.tonearm.proto.v1.TokenInfo.getDescriptor().getFile().getMessageTypes())
          .build();

  private WireTypes() {}
}
