package io.tonearm.daemon.access;

import io.tonearm.daemon.persist.CrcFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

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

  /** SHA-256's block: the key is padded (or hashed) to it (RFC 2104). */
  private static final int BLOCK = 64;

  /** The key XOR 0x36 and XOR 0x5c, each one block. */
  private final byte[] inner = new byte[BLOCK];

  private final byte[] outer = new byte[BLOCK];

  /**
   * HMAC is written out over the SUN provider's SHA-256 instead of asking for {@code
   * Mac.getInstance("HmacSHA256")}: that lookup instantiates every security provider before SunJCE
   * (SunRsaSign, SASL, SunEC with its curve table, SunJSSE), about 100 classes that stayed loaded
   * after a daemon's first start or the first token a client presented (issue 13, {@code
   * bench/README.md}, "twelfth session (rss8)").
   */
  private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(TokenSecrets::sha256);

  TokenSecrets(byte[] key) {
    byte[] k = key.length > BLOCK ? sha256().digest(key) : key;
    byte[] padded = Arrays.copyOf(k, BLOCK);
    for (int i = 0; i < BLOCK; i++) {
      inner[i] = (byte) (padded[i] ^ 0x36);
      outer[i] = (byte) (padded[i] ^ 0x5c);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
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
    return hmac(secret.getBytes(StandardCharsets.US_ASCII));
  }

  /** HMAC-SHA256 of {@code message} under the key (RFC 2104). */
  byte[] hmac(byte[] message) {
    MessageDigest d = sha256.get();
    d.update(inner);
    byte[] h = d.digest(message);
    d.update(outer);
    return d.digest(h);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
