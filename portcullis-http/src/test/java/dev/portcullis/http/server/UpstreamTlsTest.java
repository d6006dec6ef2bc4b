package dev.portcullis.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream TLS verifies the certificate chain and host name, against a custom CA when one is configured. */
class UpstreamTlsTest extends ProxyTestSupport {

  private static final TestPki.Issued CA = TestPki.ca("Upstream Test CA");
  private static final TestPki.Issued OTHER_CA = TestPki.ca("Unrelated CA");

  private TestUpstream tlsUpstream(TestPki.Issued certificate) throws Exception {
    SslContext context = SslContextBuilder.forServer(certificate.key(), certificate.certificate(), CA.certificate())
        .build();
    return track(TestUpstream.startTls(context));
  }

  private ProxyServer proxyTo(TestUpstream upstream, UpstreamOptions options) {
    return proxy(forwardTo(new UpstreamTarget("tls", java.net.URI.create("https://127.0.0.1:" + upstream.port()),
        options)));
  }

  @Test
  void forwardsOverTlsWhenTheUpstreamCertificateChainsToTheConfiguredCa() throws Exception {
    TestUpstream upstream = tlsUpstream(TestPki.server(CA, List.of("upstream.test"), List.of("127.0.0.1")));
    ProxyServer proxy = proxyTo(upstream, UpstreamOptions.DEFAULTS.withCaCertificates(List.of(CA.certificate())));

    var response = get(proxy, "/secure");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TestUpstream.parseEcho(response.body())).containsEntry("uri", "/secure");
  }

  @Test
  void refusesAnUpstreamCertificateTheDefaultTrustStoreDoesNotKnow() throws Exception {
    TestUpstream upstream = tlsUpstream(TestPki.server(CA, List.of("upstream.test"), List.of("127.0.0.1")));
    ProxyServer proxy = proxyTo(upstream, UpstreamOptions.DEFAULTS);

    var response = get(proxy, "/secure");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).isEqualTo("upstream TLS handshake failed\n");
    assertThat(upstream.requests).isEmpty();
  }

  @Test
  void refusesAnUpstreamCertificateFromAnotherCa() throws Exception {
    TestUpstream upstream = tlsUpstream(TestPki.server(CA, List.of("upstream.test"), List.of("127.0.0.1")));
    ProxyServer proxy = proxyTo(upstream,
        UpstreamOptions.DEFAULTS.withCaCertificates(List.of(OTHER_CA.certificate())));

    assertThat(get(proxy, "/secure").statusCode()).isEqualTo(502);
    assertThat(upstream.requests).isEmpty();
  }

  @Test
  void verifiesTheHostNameAndHonoursAServerNameOverride() throws Exception {
    TestUpstream upstream = tlsUpstream(TestPki.server(CA, List.of("upstream.test"), List.of()));
    UpstreamOptions trusted = UpstreamOptions.DEFAULTS.withCaCertificates(List.of(CA.certificate()));
    ProxyServer byAddress = proxyTo(upstream, trusted);
    ProxyServer byName = proxyTo(upstream, trusted.withServerName("upstream.test"));
    ProxyServer wrongName = proxyTo(upstream, trusted.withServerName("other.test"));

    assertThat(get(byAddress, "/a").statusCode()).as("certificate has no 127.0.0.1 entry").isEqualTo(502);
    assertThat(get(wrongName, "/a").statusCode()).isEqualTo(502);
    assertThat(get(byName, "/a").statusCode()).isEqualTo(200);
    assertThat(upstream.requests).hasSize(1);
  }
}
