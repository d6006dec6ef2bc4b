package dev.portcullis.http.server.internal;

import dev.portcullis.http.server.ServerTls;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import javax.net.ssl.SSLException;

/** Builds the listener's TLS context: TLS 1.2+, HTTP/2-approved ciphers, ALPN, BoringSSL when it loads. */
public final class ServerSslContexts {

  private ServerSslContexts() {}

  public static SslContext build(ServerTls tls, boolean http2) throws SSLException {
    String[] protocols = http2
        ? new String[] {ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1}
        : new String[] {ApplicationProtocolNames.HTTP_1_1};
    return SslContextBuilder.forServer(tls.privateKey(), tls.certificateChain())
        .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
        .protocols("TLSv1.3", "TLSv1.2")
        .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            protocols))
        .build();
  }
}
