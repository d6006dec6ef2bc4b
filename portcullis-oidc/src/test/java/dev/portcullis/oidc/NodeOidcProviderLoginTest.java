package dev.portcullis.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.testing.NodeOidcProviderProcess;
import dev.portcullis.testing.NodeOidcProviderProcess.Account;
import dev.portcullis.testing.NodeOidcProviderProcess.Client;
import dev.portcullis.testing.Redirects;
import dev.portcullis.testing.TestClock;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sign-in against panva's oidc-provider, a real provider with password login and consent, run by Node.js. */
class NodeOidcProviderLoginTest {

  private static final URI REDIRECT = URI.create("http://127.0.0.1:9/callback");
  private static final URI SIGNED_OUT = URI.create("http://127.0.0.1:9/signed-out");
  private static final List<Account> ACCOUNTS = List.of(
      new Account("alice", "wonderland", "alice@example.com", "Alice", List.of("admins", "dev")),
      new Account("bob", "builder", "bob@example.com", "Bob", List.of()));
  private static NodeOidcProviderProcess provider;

  private OidcRelyingParty rp;

  @BeforeAll
  static void startProvider() {
    NodeOidcProviderProcess.requireAvailable();
    // ES256 here (mock-oauth2-server covers RS256), so both signature families meet a real provider.
    provider = NodeOidcProviderProcess.start(
        new Client("portcullis", Optional.of("s3cret"), List.of(REDIRECT), List.of(SIGNED_OUT), "ES256"), ACCOUNTS);
  }

  @AfterAll
  static void stopProvider() {
    if (provider != null) {
      provider.close();
    }
  }

  @BeforeEach
  void discover() throws OidcException {
    var settings = new OidcProviderSettings("node", provider.issuer(), "portcullis", Optional.of("s3cret"),
        List.of("openid", "email", "profile", "groups"), "groups", "preferred_username", true);
    rp = OidcRelyingParty.discover(settings, TestClock.frozenNow(), HttpTimeouts.defaults());
  }

  private OidcLogin signIn(String username, String password) throws OidcException {
    AuthorizationStart start = rp.start(REDIRECT);
    URI callback = provider.browser().login(start.authorizationUrl(), username, password);
    return rp.complete(start.pending(), Redirects.queryParameters(callback));
  }

  @Test
  void signsInWithPasswordAndConsentAndMergesGroupsFromUserInfo() throws Exception {
    OidcLogin login = signIn("alice", "wonderland");

    assertThat(login.subject()).isEqualTo("alice");
    assertThat(login.username()).isEqualTo("alice");
    assertThat(login.email()).contains("alice@example.com");
    assertThat(login.emailVerified()).isTrue();
    assertThat(login.groups()).containsExactly("admins", "dev");
    // oidc-provider keeps scope claims out of the ID token in the code flow: they came from userinfo.
    assertThat(SignedJWT.parse(login.tokens().idToken()).getJWTClaimsSet().getClaims()).doesNotContainKey("groups");
    assertThat(SignedJWT.parse(login.tokens().idToken()).getHeader().getAlgorithm().getName()).isEqualTo("ES256");
  }

  @Test
  void refreshesWithTheRefreshToken() throws OidcException {
    OidcLogin first = signIn("alice", "wonderland");

    OidcLogin refreshed = rp.refresh(first);

    assertThat(refreshed.subject()).isEqualTo("alice");
    assertThat(refreshed.groups()).containsExactly("admins", "dev");
    assertThat(refreshed.tokens().accessToken()).isNotEqualTo(first.tokens().accessToken());
  }

  @Test
  void refusesAReplayedCodeAtTheProvider() throws OidcException {
    AuthorizationStart start = rp.start(REDIRECT);
    Map<String, String> callback = Redirects.queryParameters(
        provider.browser().login(start.authorizationUrl(), "bob", "builder"));
    assertThat(rp.complete(start.pending(), callback).subject()).isEqualTo("bob");

    assertThatThrownBy(() -> rp.complete(start.pending(), callback))
        .isInstanceOfSatisfying(OidcException.class,
            e -> assertThat(e.failure()).isEqualTo(OidcFailure.CODE_EXCHANGE_FAILED))
        .hasMessageContaining("invalid_grant");
  }

  @Test
  void refusesACallbackWhoseIssParameterIsMissingOrForeign() {
    // The provider advertises RFC 9207 iss in responses, so a callback without it or with another one is a mix-up.
    AuthorizationStart start = rp.start(REDIRECT);
    Map<String, String> callback = Redirects.queryParameters(
        provider.browser().login(start.authorizationUrl(), "bob", "builder"));
    assertThat(callback).containsEntry("iss", provider.issuer().toString());

    Map<String, String> foreign = new HashMap<>(callback);
    foreign.put("iss", "https://evil.example");
    Map<String, String> missing = new HashMap<>(callback);
    missing.remove("iss");

    for (Map<String, String> tampered : List.of(foreign, missing)) {
      assertThatThrownBy(() -> rp.complete(start.pending(), tampered))
          .isInstanceOfSatisfying(OidcException.class,
              e -> assertThat(e.failure()).isEqualTo(OidcFailure.ISSUER_MISMATCH));
    }
  }

  @Test
  void buildsAnEndSessionUrlTheProviderHonours() throws OidcException {
    OidcLogin login = signIn("alice", "wonderland");

    URI logout = rp.endSessionUrl(login.tokens().idToken(), SIGNED_OUT, "bye-123").orElseThrow();

    assertThat(Redirects.queryParameters(logout))
        .containsEntry("id_token_hint", login.tokens().idToken())
        .containsEntry("post_logout_redirect_uri", SIGNED_OUT.toString())
        .containsEntry("state", "bye-123");
    URI back = provider.browser().logout(logout);
    assertThat(back.getPath()).isEqualTo(SIGNED_OUT.getPath());
    assertThat(Redirects.queryParameters(back)).containsEntry("state", "bye-123");
  }

  @Test
  void signsInAsAPublicClientWithPkceOnly() throws OidcException {
    try (var publicProvider = NodeOidcProviderProcess.start(
        new Client("cli", Optional.empty(), List.of(REDIRECT), List.of(), "RS256"), ACCOUNTS)) {
      var settings = new OidcProviderSettings("node-public", publicProvider.issuer(), "cli", Optional.empty(),
          List.of("openid", "groups"), "groups", "preferred_username", true);
      OidcRelyingParty cli = OidcRelyingParty.discover(settings, TestClock.frozenNow(), HttpTimeouts.defaults());
      AuthorizationStart start = cli.start(REDIRECT);
      URI callback = publicProvider.browser().login(start.authorizationUrl(), "bob", "builder");

      OidcLogin login = cli.complete(start.pending(), Redirects.queryParameters(callback));

      assertThat(login.subject()).isEqualTo("bob");
      assertThat(login.username()).isEqualTo("bob");
    }
  }
}
