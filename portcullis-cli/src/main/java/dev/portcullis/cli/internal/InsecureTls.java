package dev.portcullis.cli.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS context behind {@code --insecure}: it accepts any server certificate for any host name. Only for a
 * demo with a self-signed certificate; every command that uses it warns on stderr.
 */
public final class InsecureTls {

  /** Printed to stderr every time a command talks to, or relies on, a server reached with {@code --insecure}. */
  public static String warning(Object proxy) {
    return "WARNING: --insecure: the TLS certificate of " + proxy + " is NOT verified. Anyone on the network path"
        + " can impersonate the server and take your session. Use this only for a local demo.";
  }

  private InsecureTls() {}

  public static SSLContext context(SecureRandom random) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AcceptAll()}, random);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a TLS context", e);
    }
  }

  /** An extended trust manager, so the JDK does not add its own host name check on top. */
  private static final class AcceptAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
