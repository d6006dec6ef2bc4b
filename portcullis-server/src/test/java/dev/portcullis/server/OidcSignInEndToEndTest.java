package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.testing.MockOAuth2ServerProcess;
import dev.portcullis.testing.NodeOidcProviderProcess;
import dev.portcullis.testing.ProviderBrowser;
import dev.portcullis.testing.Redirects;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sign-in through real OpenID Providers in their own processes (NAV's mock-oauth2-server as {@code corp},
 * the npm {@code oidc-provider} as {@code partner}) next to the local provider, so the chooser appears:
 * app host, handshake, chooser, provider, callback, handshake back, upstream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcSignInEndToEndTest {
  private static final String PARTNER_SECRET = "partner-secret-for-tests";
  private static final Pattern CHOICE = Pattern.compile("id=\"sign-in-([a-z]+)\" href=\"([^\"]+)\"");

  private static final String CONFIG = """
      server:
        listen: 127.0.0.1:{PORT}
        public_url: https://portcullis.localhost:{PORT}
        data_dir: {DATA}
      identity_providers:
        - name: local
          type: local
          users:
            - username: alice
              email: alice@example.com
              groups: [dev]
              password_hash: "{HASH}"
        - name: corp
          type: oidc
          display_name: Corporate SSO
          issuer: %s
          client_id: portcullis
          client_secret: corp-secret
      %s
      roles:
        - name: employee
          allow:
            app_labels: {team: [general]}
        - name: finance
          allow:
            app_labels: {team: [finance]}
      role_mappings:
        - everyone: true
          roles: [employee]
        - groups: [finance-team]
          roles: [finance]
        - email_domains: [ledger.example]
          roles: [finance]
        - claim: department
          values: [accounting]
          roles: [finance]
      apps:
        - name: whoami
          host: whoami.localhost
          upstream: {WHOAMI}
          labels: {team: general}
        - name: ledger
          host: ops.localhost
          upstream: {OPS}
          labels: {team: finance}
          rules:
            deny:
              - path_prefixes: [/admin]
      """;

  private static final String PARTNER = """
        - name: partner
          type: oidc
          display_name: Partner SSO
          issuer: %s
          client_id: portcullis
          client_secret: %s
          scopes: [openid, email, profile, groups]
      """;

  private MockOAuth2ServerProcess corp;
  private NodeOidcProviderProcess partner;
  private TestServer server;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    int port = TestServer.freePort();
    // Both providers take seconds to boot; start them side by side.
    CompletableFuture<MockOAuth2ServerProcess> startingCorp = CompletableFuture.supplyAsync(MockOAuth2ServerProcess::start);
    String partnerConfig = "";
    if (NodeOidcProviderProcess.isAvailable()) {
      String origin = "https://portcullis.localhost:" + port;
      partner = NodeOidcProviderProcess.start(
          new NodeOidcProviderProcess.Client("portcullis", Optional.of(PARTNER_SECRET),
              List.of(URI.create(origin + "/.portcullis/oidc/callback")),
              List.of(URI.create(origin + "/.portcullis/signed_out")), "RS256"),
          List.of(new NodeOidcProviderProcess.Account("carol", "carol-password", "carol@partner.example", "Carol",
              List.of("finance-team"))));
      partnerConfig = PARTNER.formatted(partner.issuer(), PARTNER_SECRET);
    }
    corp = startingCorp.join();
    server = TestServer.startOnPort(dir, port, CONFIG.formatted(corp.issuer("corp"), partnerConfig));
  }

  @BeforeEach
  void keepTheServerClockNearRealTime() {
    // The providers stamp their tokens with real time; the server's test clock must not fall behind.
    server.clock.set(Instant.now());
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (partner != null) {
      partner.close();
    }
    if (corp != null) {
      corp.close();
    }
  }

  @Test
  void signsInAtTheCorporateProviderAndTheUpstreamSeesItsClaims() {
    AuditTrail trail = AuditTrail.mark(server);
    TestBrowser browser = browser();
    URI app = server.url("ops", "/reports?year=2026");

    URI authorize = chooseProvider(browser, app, "corp");
    URI callback = corp.login(authorize, "corp-subject-17", Map.of(
        "preferred_username", "dana", "email", "dana@corp.example", "email_verified", true,
        "groups", List.of("finance-team", "dev")));
    HttpResponse<String> page = browser.follow(callback);

    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(page.uri()).isEqualTo(app);
    JWTClaimsSet claims = UpstreamReport.fetch(browser, app).verifiedAssertion(browser, jwks());
    assertThat(claims.getSubject()).isEqualTo("corp-subject-17");
    assertThat(claims.getClaim("preferred_username")).isEqualTo("dana");
    assertThat(claims.getClaim("email")).isEqualTo("dana@corp.example");
    assertThat(claims.getClaim("groups")).isEqualTo(List.of("finance-team", "dev"));
    assertThat(claims.getClaim("roles")).isEqualTo(List.of("employee", "finance"));
    assertThat(claims.getAudience()).containsExactly("ops.localhost");
    assertThat(trail.since("user.login")).singleElement().satisfies(event -> {
      assertThat(event.user()).isEqualTo("dana");
      assertThat(event.provider()).isEqualTo("corp");
    });
    assertThat(browser.get(server.url("ops", "/admin/books")).statusCode()).as("the app's deny rule still applies")
        .isEqualTo(403);
  }

  static Stream<Arguments> financeClaims() {
    return Stream.of(
        Arguments.of("groups", Map.of("groups", List.of("finance-team")), true),
        Arguments.of("email_domains", Map.of("email", "erin@ledger.example", "email_verified", true), true),
        Arguments.of("claim", Map.of("department", "accounting"), true),
        Arguments.of("unverified email", Map.of("email", "erin@ledger.example", "email_verified", false), false),
        Arguments.of("none", Map.of("groups", List.of("dev"), "email", "erin@other.example", "email_verified", true,
            "department", "sales"), false));
  }

  @ParameterizedTest(name = "mapping by {0}")
  @MethodSource("financeClaims")
  void eachRoleMappingGrantsTheFinanceAppAndItsAbsenceDenies(String mapping, Map<String, Object> claims, boolean allowed) {
    AuditTrail trail = AuditTrail.mark(server);
    TestBrowser browser = browser();
    String user = "user-by-" + mapping;
    URI app = server.url("ops", "/ledger");

    URI callback = corp.login(chooseProvider(browser, app, "corp"), "sub-" + mapping,
        withUsername(user, claims));
    HttpResponse<String> page = browser.follow(callback);

    if (allowed) {
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      assertThat(UpstreamReport.fetch(browser, app).verifiedAssertion(browser, jwks()).getClaim("roles"))
          .isEqualTo(List.of("employee", "finance"));
      assertThat(trail.since("access.denied")).isEmpty();
    } else {
      assertThat(page.statusCode()).as(page.body()).isEqualTo(403);
      assertThat(page.body()).contains("no-role-grants-app");
      assertThat(trail.since("access.denied")).singleElement().satisfies(event -> {
        assertThat(event.user()).isEqualTo(user);
        assertThat(event.provider()).isEqualTo("corp");
        assertThat(event.resource()).isEqualTo("app:ledger");
      });
      assertThat(browser.follow(server.url("whoami", "/")).statusCode())
          .as("the same user still reaches the app every employee may use").isEqualTo(200);
    }
  }

  @Test
  void aCallbackOpenedInAnotherBrowserIsRefusedAndAudited() {
    AuditTrail trail = AuditTrail.mark(server);
    TestBrowser victim = browser();
    URI callback = corp.login(chooseProvider(victim, server.url("whoami", "/"), "corp"), "sub-planted",
        Map.of("preferred_username", "mallory"));

    HttpResponse<String> elsewhere = browser().get(callback);

    assertThat(elsewhere.statusCode()).isIn(400, 401);
    assertThat(elsewhere.body()).contains("state-mismatch");
    assertThat(trail.since("user.login.failed")).singleElement().satisfies(event -> {
      assertThat(event.provider()).isEqualTo("corp");
      assertThat(event.reasons()).containsExactly("state-mismatch");
    });
    assertThat(trail.since("user.login")).isEmpty();
    assertThat(victim.follow(callback).statusCode()).as("the browser that started the sign-in can still finish it")
        .isEqualTo(200);
  }

  @Test
  void aReplayedCallbackIsRefusedAndAudited() {
    TestBrowser browser = browser();
    URI callback = corp.login(chooseProvider(browser, server.url("whoami", "/"), "corp"), "sub-replay",
        Map.of("preferred_username", "replayer"));
    HttpCookie state = cookie(browser, "portcullis", "_portcullis_state");
    assertThat(state.getValue()).isEqualTo(Redirects.queryParameters(callback).get("state"));
    assertThat(browser.follow(callback).statusCode()).isEqualTo(200);
    AuditTrail trail = AuditTrail.mark(server);

    HttpResponse<String> sameBrowser = browser.get(callback);
    HttpResponse<String> withStateCookie = browser().get(callback, Map.of("Cookie", "_portcullis_state=" + state.getValue()));

    assertThat(sameBrowser.statusCode()).isIn(400, 401);
    assertThat(withStateCookie.statusCode()).isIn(400, 401);
    assertThat(withStateCookie.body()).contains("state-unknown");
    assertThat(trail.since("user.login.failed")).extracting(AuditEvent::reasons)
        .containsExactly(List.of("state-mismatch"), List.of("state-unknown"));
    assertThat(trail.since("user.login")).isEmpty();
  }

  @Test
  void signsInAtOidcProviderAndSignsOutThereToo() {
    NodeOidcProviderProcess.requireAvailable();
    AuditTrail trail = AuditTrail.mark(server);
    TestBrowser browser = browser();
    ProviderBrowser atProvider = partner.browser();
    URI app = server.url("whoami", "/inbox");
    HttpResponse<String> page = browser.follow(atProvider.login(chooseProvider(browser, app, "partner"), "carol", "carol-password"));
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    JWTClaimsSet claims = UpstreamReport.fetch(browser, app).verifiedAssertion(browser, jwks());
    assertThat(claims.getClaim("email")).isEqualTo("carol@partner.example");
    assertThat(claims.getClaim("roles")).isEqualTo(List.of("employee", "finance"));
    assertThat(atProvider.open(chooseProvider(browser(), app, "partner")).getPath())
        .as("while signed in at the provider, a new sign-in needs no password").isEqualTo("/.portcullis/oidc/callback");
    Map<String, String> handles = new java.util.LinkedHashMap<>();
    for (String host : List.of("whoami", "portcullis")) {
      handles.put(host, cookie(browser, host, "_portcullis").getValue());
    }

    HttpResponse<String> logout = browser.postForm(server.url("whoami", "/.portcullis/logout"), Map.of());

    URI endSession = TestBrowser.location(logout);
    assertThat(endSession.toString()).startsWith(partner.issuer().toString());
    Map<String, String> logoutParams = Redirects.queryParameters(endSession);
    assertThat(logoutParams.get("id_token_hint")).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    assertThat(logoutParams.get("post_logout_redirect_uri")).isEqualTo(server.url("portcullis", "/.portcullis/signed_out").toString());
    URI back = atProvider.logout(endSession);
    assertThat(back.getPath()).isEqualTo("/.portcullis/signed_out");
    HttpResponse<String> signedOut = browser.get(back);
    assertThat(signedOut.statusCode()).isEqualTo(200);
    assertThat(signedOut.body()).contains("id=\"signed-out\"");

    for (String host : List.of("whoami", "portcullis")) {
      assertThat(browser.get(server.url(host, "/")).statusCode()).as("%s after logout", host).isEqualTo(302);
    }
    handles.forEach((host, handle) -> assertThat(
        browser().get(server.url(host, "/"), Map.of("Cookie", "_portcullis=" + handle)).statusCode())
        .as("the old session cookie of %s, sent again", host).isEqualTo(302));
    assertThat(trail.since("user.logout")).singleElement().satisfies(event -> {
      assertThat(event.user()).isEqualTo("carol");
      assertThat(event.provider()).isEqualTo("partner");
    });
    assertThatThrownBy(() -> atProvider.open(chooseProvider(browser(), app, "partner")))
        .as("the provider's own session ended too").hasMessageContaining("password");
  }

  /** Opens the app in {@code browser}, picks {@code provider} on the chooser, and returns the provider's authorization URL. */
  private URI chooseProvider(TestBrowser browser, URI app, String provider) {
    HttpResponse<String> chooser = browser.follow(app);
    assertThat(chooser.statusCode()).as(chooser.body()).isEqualTo(200);
    assertThat(chooser.uri().getPath()).isEqualTo("/.portcullis/sign_in");
    Map<String, String> choices = new java.util.LinkedHashMap<>();
    for (Matcher m = CHOICE.matcher(chooser.body()); m.find(); ) {
      choices.put(m.group(1), m.group(2).replace("&amp;", "&"));
    }
    assertThat(choices).containsKeys("local", "corp");
    HttpResponse<String> toProvider = browser.get(chooser.uri().resolve(choices.get(provider)));
    URI authorize = TestBrowser.location(toProvider);
    assertThat(authorize.getHost()).as("the provider runs on loopback").isEqualTo("127.0.0.1");
    return authorize;
  }

  private HttpCookie cookie(TestBrowser browser, String host, String name) {
    return browser.cookies().getCookieStore().get(server.url(host, "/")).stream()
        .filter(cookie -> cookie.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no cookie " + name + " for " + host));
  }

  private static Map<String, Object> withUsername(String user, Map<String, Object> claims) {
    Map<String, Object> all = new java.util.HashMap<>(claims);
    all.put("preferred_username", user);
    return all;
  }

  private URI jwks() {
    return server.url("portcullis", "/.well-known/portcullis/jwks.json");
  }

  private TestBrowser browser() {
    return new TestBrowser(server.certificate());
  }
}
