package io.tonearm.daemon.mpd;

import io.tonearm.proto.v1.Origin;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the protocol remembers per connection: who it is (for event origins), the binary chunk limit
 * and the tag types it asked for. Used by one connection's event loop only.
 */
public final class Session {

  /** Default and smallest binary chunk ({@code binarylimit}), as MPD. */
  public static final int DEFAULT_BINARY_LIMIT = 8192;

  public static final int MIN_BINARY_LIMIT = 64;

  /** Largest binary chunk a client may ask for. */
  public static final int MAX_BINARY_LIMIT = 1 << 20;

  private final String client;
  private int binaryLimit = DEFAULT_BINARY_LIMIT;
  private final Set<String> tags = new LinkedHashSet<>(Songs.TAG_TYPES);
  private boolean closeRequested;

  /**
   * @param client how events name this connection, e.g. {@code mpd:127.0.0.1:50012}
   */
  public Session(String client) {
    this.client = client;
  }

  public Origin origin(String command) {
    return Origin.newBuilder().setClient(client).setCommand("mpd." + command).build();
  }

  public int binaryLimit() {
    return binaryLimit;
  }

  void binaryLimit(int limit) {
    binaryLimit = limit;
  }

  /** The tag types this client wants in song listings (lower case). */
  Set<String> tags() {
    return tags;
  }

  /** True once the client sent {@code close}: the connection closes after the reply. */
  public boolean closeRequested() {
    return closeRequested;
  }

  void requestClose() {
    closeRequested = true;
  }
}
