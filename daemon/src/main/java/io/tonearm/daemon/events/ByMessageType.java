package io.tonearm.daemon.events;

import com.google.protobuf.Descriptors.Descriptor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A value made once per protobuf message type (a JSON plan, a field table), found by the type's
 * full name: a {@code String} keeps its hash, where a {@code Descriptor}'s is the identity hash, a
 * native call under C1 (the README's only JIT) on every command and event that asks. The value is
 * kept for the first descriptor of a name; another type of that name (a dynamic one) gets a value
 * made for it on each call, never the kept one.
 *
 * <p>Thread-safe. {@code make} runs outside the map, so it may ask this table for other types (a
 * plan for a message's fields' types); two threads may make a value at once, and one of them is
 * kept.
 */
public final class ByMessageType<V> {

  private record Made<V>(Descriptor type, V value) {}

  private final Map<String, Made<V>> byName = new ConcurrentHashMap<>();
  private final Function<Descriptor, V> make;

  public ByMessageType(Function<Descriptor, V> make) {
    this.make = make;
  }

  /** The value for {@code type}, made on its first call. */
  public V get(Descriptor type) {
    String name = type.getFullName();
    Made<V> m = byName.get(name);
    if (m == null) {
      Made<V> made = new Made<>(type, make.apply(type));
      m = byName.putIfAbsent(name, made);
      if (m == null) {
        return made.value;
      }
    }
    return m.type == type ? m.value : make.apply(type);
  }
}
