package io.tonearm.daemon.mpd;

import io.tonearm.daemon.access.Caller;
import io.tonearm.daemon.access.Principal;
import io.tonearm.proto.v1.Origin;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the protocol remembers per connection: who it acts as (a trusted loopback client, a token
 * given with {@code password}, or nobody yet), who it is for event origins, the binary chunk limit
 * and the tag types it asked for. Used by one connection's event loop only.
 */
public final class Session {

  /** Default and smallest binary chunk ({@code binarylimit}), as MPD. */
  public static final int DEFAULT_BINARY_LIMIT = 8192;

  public static final int MIN_BINARY_LIMIT = 64;

  /** Largest binary chunk a client may ask for. */
  public static final int MAX_BINARY_LIMIT = 1 << 20;

  /**
   * What the connection does when {@code password} names a valid token: counts itself as one of the
   * token's open connections (and stops counting toward the one it held before) and closes when the
   * token is revoked or expires. Called on the connection's event loop.
   */
  @FunctionalInterface
  public interface TokenBinding {
    /**
     * @return false, changing nothing, when the token already has its most connections open
     */
    boolean bind(Principal token);
  }

  private final String client;
  private final InetAddress address;
  private final TokenBinding binding;
  private Principal principal;
  private int binaryLimit = DEFAULT_BINARY_LIMIT;
  private final Set<String> tags = new LinkedHashSet<>(Songs.TAG_TYPES);
  private boolean closeRequested;
  private Runnable messageArrived = () -> {};
  private Channels.Mailbox mailbox;

  /**
   * @param client how events name this connection, e.g. {@code mpd:127.0.0.1:50012}
   * @param address the client's address; null for the daemon's own
   * @param principal who it acts as until a {@code password}: {@link Principal#LOOPBACK} for a
   *     trusted loopback client, else {@link Principal#ANONYMOUS}
   * @param binding ties the connection to a token once a password names one
   */
  public Session(String client, InetAddress address, Principal principal, TokenBinding binding) {
    this.client = client;
    this.address = address;
    this.principal = principal;
    this.binding = binding;
  }

  public Origin origin(String command) {
    return Origin.newBuilder().setClient(client).setCommand("mpd." + command).build();
  }

  /** Who the connection acts as now. */
  public Principal principal() {
    return principal;
  }

  /** The principal and the client's address, as rate limits see a command. */
  public Caller caller() {
    return new Caller(principal, address);
  }

  public InetAddress address() {
    return address;
  }

  /**
   * Acts as {@code token} from now on (MPD's {@code password} replaces the connection's
   * permissions).
   *
   * @return false, changing nothing, when the token has its most connections open
   */
  boolean actAs(Principal token) {
    if (!binding.bind(token)) {
      return false;
    }
    principal = token;
    return true;
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

  /**
   * What to do when a client-to-client message reaches this connection's empty mailbox: schedule
   * its {@code message} idle event. Called under the channels' lock from any thread, so it must
   * only schedule. Set before the first command.
   */
  public void onMessage(Runnable arrived) {
    this.messageArrived = arrived;
  }

  /** The connection's mailbox, made at its first {@code subscribe}. */
  Channels.Mailbox mailbox() {
    if (mailbox == null) {
      mailbox = new Channels.Mailbox(messageArrived);
    }
    return mailbox;
  }

  /** The mailbox if the connection ever subscribed, else null. */
  Channels.Mailbox mailboxIfAny() {
    return mailbox;
  }

  @Override
  public String toString() {
    return client;
  }
}
