package io.tonearm.daemon.command;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.proto.v1.CommonProto;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses a request that lacks a field marked {@code (must_be_set)} in its {@code .proto}: such a
 * command is a 400 {@code missing_field} naming the field, never run with the field's default (an
 * empty volume body used to set volume 0). Shared by HTTP and the socket. Thread-safe.
 */
final class RequiredFields {

  private static final Map<Descriptor, List<FieldDescriptor>> BY_TYPE = new ConcurrentHashMap<>();

  private RequiredFields() {}

  /** Throws {@link DomainException} (INVALID, {@code missing_field}) for the first absent one. */
  static void check(String command, Message request) {
    for (FieldDescriptor f : required(request.getDescriptorForType())) {
      if (!request.hasField(f)) {
        throw new DomainException(
            DomainException.Kind.INVALID,
            "missing_field",
            command + " needs the field " + f.getName() + " (" + f.getJsonName() + " in JSON)",
            Map.of("field", f.getName()));
      }
    }
  }

  private static List<FieldDescriptor> required(Descriptor type) {
    return BY_TYPE.computeIfAbsent(
        type,
        t ->
            t.getFields().stream()
                .filter(f -> f.getOptions().getExtension(CommonProto.mustBeSet))
                .toList());
  }
}
