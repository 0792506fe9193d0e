package io.tonearm.daemon.access;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenSecretsTest {
  @TempDir Path dir;

  private static String hmac(byte[] key, String message) {
    return HexFormat.of()
        .formatHex(new TokenSecrets(key).hmac(message.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void hmacGivesRfc4231sAnswers() {
    byte[] twenty = new byte[20];
    Arrays.fill(twenty, (byte) 0x0b);
    assertEquals(
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        hmac(twenty, "Hi There"));
    assertEquals(
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        hmac("Jefe".getBytes(StandardCharsets.US_ASCII), "what do ya want for nothing?"));
    byte[] longer = new byte[131]; // longer than a block: hashed first
    Arrays.fill(longer, (byte) 0xaa);
    assertEquals(
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        hmac(longer, "Test Using Larger Than Block-Size Key - Hash Key First"));
  }

  @Test
  void aSecretsHashIsTheJdksHmacSha256UnderTheInstallsKey() throws Exception {
    Random r = new Random(13);
    for (int i = 0; i < 200; i++) {
      byte[] key = new byte[1 + r.nextInt(100)];
      r.nextBytes(key);
      String secret = TokenSecrets.newSecret().substring(0, 1 + r.nextInt(TokenSecrets.LENGTH));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      assertArrayEquals(
          mac.doFinal(secret.getBytes(StandardCharsets.US_ASCII)),
          new TokenSecrets(key).hash(secret),
          secret);
    }
  }

  @Test
  void theSameKeyFileHashesTheSameAcrossLoads() throws Exception {
    Path keyFile = dir.resolve("token.key");
    String secret = TokenSecrets.newSecret();
    byte[] first = TokenSecrets.load(keyFile).hash(secret);
    assertArrayEquals(first, TokenSecrets.load(keyFile).hash(secret));
    assertEquals(32, first.length);
  }
}
