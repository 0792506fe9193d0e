package io.tonearm.daemon.access;

import io.tonearm.daemon.persist.CrcFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes token secrets and hashes them. A secret is {@code tnrm_} and 43 base64url characters (256
 * random bits); it is stored as HMAC-SHA256 under a per-install key ({@code token.key} in the data
 * dir, 0600). A slow hash buys nothing for 256 random bits; the key means a copied token file alone
 * does not let anyone test guesses offline. Thread-safe.
 */
public final class TokenSecrets {

  /** What every secret starts with (so that secret scanners and people can tell one). */
  public static final String PREFIX = "tnrm_";

  /** Length of a secret: the prefix and 43 base64url characters. */
  public static final int LENGTH = PREFIX.length() + 43;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  private TokenSecrets(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(this.key);
                return m;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
              }
            });
  }

  /** The key in {@code keyFile}, made (32 random bytes, 0600) when there is none. */
  public static TokenSecrets load(Path keyFile) throws IOException {
    byte[] key = CrcFile.read(keyFile, 32).orElse(null);
    if (key == null || key.length != 32) {
      key = random(32);
      CrcFile.writePrivate(keyFile, key);
    }
    return new TokenSecrets(key);
  }

  /** A new secret. */
  public static String newSecret() {
    return PREFIX + B64.encodeToString(random(32));
  }

  /** A random id of {@code bytes} bytes in hex. */
  public static String newId(int bytes) {
    return HexFormat.of().formatHex(random(bytes));
  }

  /** A random base64url string of {@code bytes} random bytes (tickets). */
  public static String newOpaque(int bytes) {
    return B64.encodeToString(random(bytes));
  }

  /** True when {@code s} has the shape of a secret (not that it is one). */
  public static boolean wellFormed(String s) {
    if (s == null || s.length() != LENGTH || !s.startsWith(PREFIX)) {
      return false;
    }
    for (int i = PREFIX.length(); i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /** HMAC-SHA256 of the secret under the install's key (32 bytes). */
  public byte[] hash(String secret) {
    return macs.get().doFinal(secret.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
