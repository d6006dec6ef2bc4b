package dev.portcullis.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.testing.ScriptedOidcProvider;
import dev.portcullis.testing.TestClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DiscoveryTest {

  private final TestClock clock = new TestClock(Instant.parse("2030-01-01T10:00:00Z"));

  @Test
  void rejectsADocumentNamingAnotherIssuer() {
    try (var idp = ScriptedOidcProvider.start("portcullis", clock)) {
      idp.advertiseIssuer(idp.issuer() + "/");

      assertThatThrownBy(() -> OidcRelyingParty.discover(
              ScriptedProviderTestBase.settings(idp.issuer(), true), clock, HttpTimeouts.defaults()))
          .isInstanceOfSatisfying(OidcException.class,
              e -> assertThat(e.failure()).isEqualTo(OidcFailure.ISSUER_MISMATCH));
    }
  }

  @Test
  void failsWhenTheProviderIsUnreachable() throws IOException {
    int closedPort;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    URI issuer = URI.create("http://127.0.0.1:" + closedPort);

    assertThatThrownBy(() -> OidcRelyingParty.discover(ScriptedProviderTestBase.settings(issuer, true), clock,
            HttpTimeouts.of(Duration.ofSeconds(2))))
        .isInstanceOfSatisfying(OidcException.class,
            e -> assertThat(e.failure()).isEqualTo(OidcFailure.DISCOVERY_FAILED));
  }

  @Test
  void offersNoEndSessionUrlWhenTheProviderAdvertisesNone() throws OidcException {
    try (var idp = ScriptedOidcProvider.start("portcullis", clock)) {
      var rp = OidcRelyingParty.discover(ScriptedProviderTestBase.settings(idp.issuer(), true), clock,
          HttpTimeouts.defaults());

      assertThat(rp.endSessionUrl(null, null, null)).isEmpty();
    }
  }
}
