package dev.portcullis.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.testing.MockOAuth2ServerProcess;
import dev.portcullis.testing.Redirects;
import dev.portcullis.testing.TestClock;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sign-in against NAV's mock-oauth2-server, a real provider running in its own JVM. */
class MockOAuth2ServerLoginTest {

  private static final URI REDIRECT = URI.create("http://127.0.0.1:9/callback");
  private static MockOAuth2ServerProcess server;

  private TestClock clock;
  private OidcRelyingParty rp;

  @BeforeAll
  static void startServer() {
    server = MockOAuth2ServerProcess.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void discover() throws OidcException {
    clock = TestClock.frozenNow();
    rp = OidcRelyingParty.discover(settings("corp", true), clock, HttpTimeouts.defaults());
  }

  private static OidcProviderSettings settings(String issuerId, boolean userInfo) {
    return new OidcProviderSettings("mock", server.issuer(issuerId), "portcullis", Optional.of("s3cret"),
        List.of("openid", "email", "profile"), "groups", "preferred_username", userInfo);
  }

  @Test
  void signsInWithCodeAndPkceAndMapsUsernameAndGroups() throws OidcException {
    AuthorizationStart start = rp.start(REDIRECT);
    assertThat(Redirects.queryParameters(start.authorizationUrl()))
        .containsEntry("code_challenge_method", "S256")
        .containsKey("code_challenge")
        .containsEntry("nonce", start.pending().nonce())
        .containsEntry("state", start.pending().state());

    URI callback = server.login(start.authorizationUrl(), "u-42",
        Map.of("preferred_username", "alice", "groups", List.of("admins", "dev"), "email", "alice@example.com"));
    OidcLogin login = rp.complete(start.pending(), Redirects.queryParameters(callback));

    assertThat(login.provider()).isEqualTo("mock");
    assertThat(login.issuer()).isEqualTo(server.issuer("corp").toString());
    assertThat(login.subject()).isEqualTo("u-42");
    assertThat(login.username()).isEqualTo("alice");
    assertThat(login.groups()).containsExactly("admins", "dev");
    assertThat(login.email()).contains("alice@example.com");
    assertThat(login.tokens().refreshToken()).isPresent();
    assertThat(login.tokens().accessTokenExpiresAt()).isPresent();
  }

  @Test
  void acceptsASingleStringGroupAndFallsBackToSubjectWithoutVerifiedEmail() throws OidcException {
    AuthorizationStart start = rp.start(REDIRECT);
    URI callback = server.login(start.authorizationUrl(), "u-7", Map.of("groups", "ops", "email", "x@example.com"));

    OidcLogin login = rp.complete(start.pending(), Redirects.queryParameters(callback));

    assertThat(login.groups()).containsExactly("ops");
    assertThat(login.emailVerified()).isFalse();
    assertThat(login.username()).isEqualTo("u-7");
  }

  @Test
  void usesTheVerifiedEmailLocalPartWhenTheUsernameClaimIsAbsent() throws OidcException {
    AuthorizationStart start = rp.start(REDIRECT);
    URI callback = server.login(start.authorizationUrl(), "u-8",
        Map.of("email", "bob@example.com", "email_verified", true));

    assertThat(rp.complete(start.pending(), Redirects.queryParameters(callback)).username()).isEqualTo("bob");
  }

  @Test
  void refreshesTokensAndKeepsTheIdentity() throws OidcException {
    AuthorizationStart start = rp.start(REDIRECT);
    URI callback = server.login(start.authorizationUrl(), "u-9", Map.of("groups", List.of("dev")));
    OidcLogin first = rp.complete(start.pending(), Redirects.queryParameters(callback));

    OidcLogin refreshed = rp.refresh(first);

    assertThat(refreshed.subject()).isEqualTo("u-9");
    assertThat(refreshed.groups()).containsExactly("dev");
    assertThat(refreshed.tokens().accessToken()).isNotEqualTo(first.tokens().accessToken());
    assertThat(refreshed.tokens().idToken()).isNotEqualTo(first.tokens().idToken());
  }

  @Test
  void refusesAReplayedCodeAtTheProvider() throws OidcException {
    AuthorizationStart start = rp.start(REDIRECT);
    Map<String, String> callback = Redirects.queryParameters(server.login(start.authorizationUrl(), "u-1", Map.of()));
    rp.complete(start.pending(), callback);

    assertThatThrownBy(() -> rp.complete(start.pending(), callback))
        .isInstanceOfSatisfying(OidcException.class,
            e -> assertThat(e.failure()).isEqualTo(OidcFailure.CODE_EXCHANGE_FAILED))
        .hasMessageContaining("invalid_grant");
  }

  @Test
  void refusesACallbackWhoseStateDiffers() {
    AuthorizationStart start = rp.start(REDIRECT);
    AuthorizationStart other = rp.start(REDIRECT);
    Map<String, String> callback = Redirects.queryParameters(server.login(other.authorizationUrl(), "u-1", Map.of()));

    assertThatThrownBy(() -> rp.complete(start.pending(), callback))
        .isInstanceOfSatisfying(OidcException.class,
            e -> assertThat(e.failure()).isEqualTo(OidcFailure.STATE_MISMATCH));
  }

  @Test
  void refusesAPendingSignInOlderThanTenMinutes() {
    AuthorizationStart start = rp.start(REDIRECT);
    Map<String, String> callback = Redirects.queryParameters(server.login(start.authorizationUrl(), "u-1", Map.of()));
    clock.advance(Duration.ofMinutes(10).plusSeconds(1));

    assertThatThrownBy(() -> rp.complete(start.pending(), callback))
        .isInstanceOfSatisfying(OidcException.class,
            e -> assertThat(e.failure()).isEqualTo(OidcFailure.STALE_AUTHORIZATION));
  }
}
