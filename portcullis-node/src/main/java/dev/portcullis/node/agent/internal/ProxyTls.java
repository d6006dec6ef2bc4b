package dev.portcullis.node.agent.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the agent trusts the Portcullis server's TLS certificate: the JDK's normal checks, or for a server with a
 * self-signed certificate ({@code --insecure}) trust on first use: join accepts whatever key the server shows
 * and records it, and every later connection must show that same key ({@code sha256/} of its
 * SubjectPublicKeyInfo), so only the join itself is exposed to a man in the middle.
 */
public final class ProxyTls {

  /** Null for {@link #verified()}: the JDK's default, loaded only when an https call needs it. */
  private final SSLContext context;
  private final AtomicReference<String> observed = new AtomicReference<>();

  private ProxyTls(SSLContext context) {
    this.context = context;
  }

  /** The JDK's trust store and host name verification. */
  public static ProxyTls verified() {
    return new ProxyTls(null);
  }

  /** Accepts any server key, and remembers it: {@link #observedPin()}. */
  public static ProxyTls trustOnFirstUse() {
    return withTrustManager(null);
  }

  /** Accepts only a server whose leaf certificate has the key {@code pin}; no CA or host name check. */
  public static ProxyTls pinned(String pin) {
    return withTrustManager(NodeSettings.tlsPin(pin));
  }

  public SSLContext context() {
    if (context != null) {
      return context;
    }
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default TLS context", e);
    }
  }

  /** The pin of the key the server showed last, with {@link #trustOnFirstUse()} or {@link #pinned(String)}. */
  public Optional<String> observedPin() {
    return Optional.ofNullable(observed.get());
  }

  /** {@code sha256/} and the base64 SHA-256 of the certificate's SubjectPublicKeyInfo. */
  public static String pinOf(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
      return "sha256/" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  private static ProxyTls withTrustManager(String expectedPin) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      ProxyTls tls = new ProxyTls(context);
      context.init(null, new TrustManager[] {tls.new PinningTrustManager(expectedPin)}, null);
      return tls;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS", e);
    }
  }

  /**
   * Extended, so that the JDK does not add its own host name check around it: the pin replaces both the CA
   * and the name checks.
   */
  private final class PinningTrustManager extends X509ExtendedTrustManager {
    private final String expectedPin;

    PinningTrustManager(String expectedPin) {
      this.expectedPin = expectedPin;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("the Portcullis server sent no certificate");
      }
      String pin = pinOf(chain[0]);
      if (expectedPin != null && !expectedPin.equals(pin)) {
        throw new CertificateException("the Portcullis server's TLS key " + pin + " is not the one pinned at join ("
            + expectedPin + "): refusing to send the node credential");
      }
      observed.set(pin);
    }

    @Override public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      check(chain);
    }

    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      check(chain);
    }

    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      check(chain);
    }

    @Override public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("the node agent is a TLS client only");
    }

    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("the node agent is a TLS client only");
    }

    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("the node agent is a TLS client only");
    }

    @Override public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
