package io.tonearm.daemon.transport.ws;

import io.tonearm.daemon.access.Access;
import io.tonearm.daemon.access.Principal;
import java.net.InetAddress;
import java.util.concurrent.CompletionStage;

/**
 * Decides, asynchronously, who a socket upgrade acts as, where that is decided elsewhere: a relay
 * asks the origin, which holds the tokens. The origin itself authenticates in place ({@link
 * Access}) and needs none.
 */
@FunctionalInterface
public interface SocketAdmission {

  /**
   * Admits or refuses an upgrade. Called on the connection's event loop; must not block.
   *
   * @param credentials what the upgrade request carried
   * @param from the client's address
   * @param zone the zone the URL names, or null for the default
   * @return the principal the socket acts as ({@link Principal#tokenId} names it for {@link
   *     TokenSockets}: its cap and its closing), or a stage failed with the refusal (a {@code
   *     DomainException})
   */
  CompletionStage<Principal> admit(Access.Credentials credentials, InetAddress from, String zone);
}
