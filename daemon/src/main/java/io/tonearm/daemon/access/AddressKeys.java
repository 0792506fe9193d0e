package io.tonearm.daemon.access;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;

/**
 * The key an address is limited by: an IPv4 address as it is, an IPv6 address by its /64 prefix
 * (one host is commonly given a whole /64, so per-address limits keyed by full IPv6 addresses would
 * be as many limits as the client likes).
 */
public final class AddressKeys {
  private AddressKeys() {}

  public static String of(InetAddress a) {
    if (a == null) {
      return "internal";
    }
    if (a instanceof Inet6Address && !a.isLoopbackAddress()) {
      byte[] b = a.getAddress();
      return HexFormat.of().formatHex(b, 0, 8) + "::/64";
    }
    return a.getHostAddress();
  }
}
