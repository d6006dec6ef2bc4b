package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testing.MockOAuth2ServerProcess;
import dev.portcullis.testing.TestClock;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OIDC sessions follow the identity provider: an expired access token is renewed with the refresh token,
 * and a provider that refuses (or is gone) ends the session.
 */
class SessionRefreshEndToEndTest {
  // The provider's tokens live 2 seconds, so a refresh falls due within the test, on real time.
  private static final String IDP_CONFIG = """
      {"interactiveLogin":false,"httpServer":"NettyWrapper","tokenCallbacks":[
        {"issuerId":"corp","tokenExpiry":2,"requestMappings":[{"requestParam":"grant_type","match":"*","claims":{}}]}]}
      """;
  private static final String CONFIG = """
      server:
        listen: 127.0.0.1:{PORT}
        public_url: https://portcullis.localhost:{PORT}
        data_dir: {DATA}
      identity_providers:
        - name: corp
          type: oidc
          issuer: %s
          client_id: portcullis
          client_secret: refresh-test-secret
          fetch_userinfo: false
      roles:
        - name: employee
          allow:
            app_labels: {"*": ["*"]}
      role_mappings:
        - everyone: true
          roles: [employee]
      apps:
        - name: whoami
          host: whoami.localhost
          upstream: {WHOAMI}
      """;

  @TempDir Path tempDir;
  private MockOAuth2ServerProcess idp;
  private TestServer server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (idp != null) {
      idp.close();
    }
  }

  @Test
  void renewsTheSessionWithTheRefreshTokenAndEndsItWhenTheProviderIsGone() throws Exception {
    idp = MockOAuth2ServerProcess.start(IDP_CONFIG);
    server = TestServer.start(tempDir, CONFIG.formatted(idp.issuer("corp")), TestClock.frozenNow());
    TestBrowser browser = new TestBrowser(server.certificate());
    HttpResponse<String> toIdp = browser.follow(server.url("whoami", "/"));
    URI callback = idp.login(TestBrowser.location(toIdp), "carol", Map.of("email", "carol@example.com"));
    assertThat(browser.follow(callback).statusCode()).isEqualTo(200);

    waitAndSyncClock(Duration.ofSeconds(3));
    assertThat(browser.get(server.url("whoami", "/")).statusCode()).isEqualTo(200);
    awaitEvent("session.refreshed");
    assertThat(browser.get(server.url("whoami", "/")).statusCode()).isEqualTo(200);

    idp.close();
    waitAndSyncClock(Duration.ofSeconds(3));
    browser.get(server.url("whoami", "/"));
    awaitEvent("session.expired");
    assertThat(WebFixtures.audit(server, "session.expired").getFirst().event().reasons())
        .anySatisfy(reason -> assertThat(reason).startsWith("refresh-failed"));
    assertThat(browser.get(server.url("whoami", "/")).statusCode()).as("signed out").isEqualTo(302);
  }

  private void waitAndSyncClock(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
    server.clock.set(Instant.now());
  }

  private void awaitEvent(String type) throws InterruptedException {
    for (int i = 0; i < 100 && WebFixtures.audit(server, type).isEmpty(); i++) {
      Thread.sleep(100);
    }
    assertThat(WebFixtures.audit(server, type)).as(type).isNotEmpty();
  }
}
