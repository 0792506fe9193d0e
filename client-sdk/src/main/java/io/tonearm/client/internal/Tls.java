package io.tonearm.client.internal;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS settings of one client: which certificates it trusts (the JDK's default authorities, or
 * exactly the ones in a PEM file, e.g. a daemon's self-signed certificate), as a JDK {@link
 * SSLContext} for the HTTP client and a Netty {@link SslContext} for the event socket. Host names
 * are verified either way. Immutable.
 */
public final class Tls {

  private final SSLContext jdk;
  private final SslContext netty;

  private Tls(SSLContext jdk, SslContext netty) {
    this.jdk = jdk;
    this.netty = netty;
  }

  /** Trusts the JDK's default certificate authorities. */
  public static Tls systemDefault() {
    try {
      return new Tls(
          SSLContext.getDefault(),
          SslContextBuilder.forClient().sslProvider(SslProvider.JDK).build());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("no TLS in this JVM", e);
    }
  }

  /**
   * Trusts exactly the certificates in {@code pem} (one or more {@code BEGIN CERTIFICATE} blocks).
   *
   * @throws IllegalArgumentException when the file cannot be read or holds no certificate
   */
  public static Tls trusting(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("no certificate in " + pem);
      }
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        ks.setCertificateEntry("trusted-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext jdk = SSLContext.getInstance("TLS");
      jdk.init(null, tmf.getTrustManagers(), null);
      SslContext netty =
          SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(tmf).build();
      return new Tls(jdk, netty);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read certificates from " + pem + ": " + e, e);
    }
  }

  public SSLContext jdk() {
    return jdk;
  }

  public SslContext netty() {
    return netty;
  }
}
