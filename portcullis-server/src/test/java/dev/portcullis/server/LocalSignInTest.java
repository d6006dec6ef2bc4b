package dev.portcullis.server;

import static dev.portcullis.server.WebFixtures.LOCAL_CONFIG;
import static dev.portcullis.server.WebFixtures.audit;
import static dev.portcullis.server.WebFixtures.signInLocally;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.localauth.Totp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSignInTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tempDir;
  private TestServer server;
  private TestBrowser browser;

  @BeforeEach
  void start() {
    server = TestServer.start(tempDir, LOCAL_CONFIG);
    browser = new TestBrowser(server.certificate());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void signsInLocallyAndTheUpstreamReceivesAVerifiableAssertion() throws Exception {
    HttpResponse<String> page = signInLocally(browser, server.url("whoami", "/hello?x=1"), "alice", TestServer.PASSWORD, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.uri().toString()).isEqualTo(server.url("whoami", "/hello?x=1").toString());

    JsonNode report = whoamiReport("/hello");
    String assertion = report.path("headers").path("x-portcullis-jwt-assertion").path(0).asText();
    JWKSet jwks = JWKSet.parse(browser.get(server.url("whoami", "/.well-known/portcullis/jwks.json")).body());
    SignedJWT jwt = SignedJWT.parse(assertion);
    assertThat(jwt.verify(new ECDSAVerifier(jwks.getKeyByKeyId(jwt.getHeader().getKeyID()).toECKey()))).isTrue();
    var claims = jwt.getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo("alice");
    assertThat(claims.getAudience()).containsExactly("whoami.localhost");
    assertThat(claims.getStringClaim("email")).isEqualTo("alice@example.com");
    assertThat(claims.getStringListClaim("groups")).containsExactly("dev");
    assertThat(claims.getStringListClaim("roles")).containsExactly("employee");
    assertThat(claims.getStringClaim("sid")).isNotBlank();
    assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(report.path("headers").has("cookie") ? report.path("headers").path("cookie").toString() : "")
        .doesNotContain("_portcullis");
    assertThat(audit(server, "user.login")).anySatisfy(e -> {
      assertThat(e.event().user()).isEqualTo("alice");
      assertThat(e.event().provider()).isEqualTo("local");
    });
  }

  @Test
  void deniesAnAppTheUsersGroupMayNotReachAndAuditsTheReasons() {
    signInLocally(browser, server.url("whoami", "/"), "alice", TestServer.PASSWORD, null);

    HttpResponse<String> ops = browser.follow(server.url("ops", "/"));

    assertThat(ops.statusCode()).isEqualTo(403);
    assertThat(ops.body()).contains("no-rule-matched");
    assertThat(audit(server, "access.denied")).anySatisfy(e -> {
      assertThat(e.event().user()).isEqualTo("alice");
      assertThat(e.event().resource()).isEqualTo("app:ops");
      assertThat(String.join(" ", e.event().reasons())).contains("no-rule-matched");
    });
  }

  @Test
  void aRoleDenyRuleOnAPathWinsOverTheAppAllow() {
    signInLocally(browser, server.url("whoami", "/"), "alice", TestServer.PASSWORD, null);

    assertThat(browser.get(server.url("whoami", "/admin/users")).statusCode()).isEqualTo(403);
    assertThat(browser.get(server.url("whoami", "/administrator")).statusCode()).isEqualTo(200);
  }

  @Test
  void requiresAFreshTotpCodeForUsersWhoHaveOne() {
    HttpResponse<String> form = browser.follow(server.url("ops", "/"));
    HttpResponse<String> withoutCode = WebFixtures.submitLocalForm(browser, form, "bob", TestServer.PASSWORD, null);
    assertThat(withoutCode.statusCode()).isEqualTo(401);
    assertThat(withoutCode.body()).contains("one-time code");

    String code = Totp.fromBase32(WebFixtures.TOTP_SECRET).codeAt(server.clock.instant());
    HttpResponse<String> signedIn = WebFixtures.submitLocalForm(browser, withoutCode, "bob", TestServer.PASSWORD, code);
    assertThat(signedIn.statusCode()).isEqualTo(302);
    assertThat(browser.follow(TestBrowser.location(signedIn)).statusCode()).isEqualTo(200);

    TestBrowser other = new TestBrowser(server.certificate());
    HttpResponse<String> replayForm = other.follow(server.url("ops", "/"));
    HttpResponse<String> replay = WebFixtures.submitLocalForm(other, replayForm, "bob", TestServer.PASSWORD, code);
    assertThat(replay.statusCode()).as("a TOTP code works once").isEqualTo(401);
  }

  @Test
  void auditsAFailedLoginAndThrottlesRepeatedFailures() {
    HttpResponse<String> form = browser.follow(server.url("whoami", "/"));
    HttpResponse<String> last = form;
    for (int i = 0; i < 5; i++) {
      last = WebFixtures.submitLocalForm(browser, last, "alice", "wrong password", null);
      assertThat(last.statusCode()).isEqualTo(401);
    }
    HttpResponse<String> throttled = WebFixtures.submitLocalForm(browser, last, "alice", TestServer.PASSWORD, null);

    assertThat(throttled.statusCode()).isEqualTo(401);
    assertThat(throttled.body()).contains("Too many failed attempts");
    assertThat(audit(server, "user.login.failed")).hasSizeGreaterThanOrEqualTo(6)
        .allSatisfy(e -> assertThat(e.event().provider()).isEqualTo("local"));
  }

  @Test
  void rejectsALoginFormPostWithoutTheBrowsersCsrfToken() {
    HttpResponse<String> form = browser.follow(server.url("whoami", "/"));
    TestBrowser attacker = new TestBrowser(server.certificate());

    HttpResponse<String> forged = WebFixtures.submitLocalForm(attacker, form, "alice", TestServer.PASSWORD, null);

    assertThat(forged.statusCode()).isEqualTo(400);
  }

  @Test
  void anExpiredSessionSendsTheUserBackToSignInAndIsAudited() {
    signInLocally(browser, server.url("whoami", "/"), "alice", TestServer.PASSWORD, null);
    assertThat(browser.get(server.url("whoami", "/")).statusCode()).isEqualTo(200);

    server.clock.advance(Duration.ofMinutes(31));

    HttpResponse<String> after = browser.get(server.url("whoami", "/"));
    assertThat(after.statusCode()).isEqualTo(302);
    assertThat(TestBrowser.location(after).getPath()).isEqualTo("/.portcullis/handshake");
    assertThat(audit(server, "session.expired")).anySatisfy(e -> assertThat(e.event().user()).isEqualTo("alice"));
  }

  @Test
  void logoutEndsTheSessionOnEveryHost() {
    signInLocally(browser, server.url("whoami", "/"), "alice", TestServer.PASSWORD, null);
    assertThat(browser.follow(server.url("portcullis", "/")).body()).contains("alice");

    HttpResponse<String> logout = browser.postForm(server.url("whoami", "/.portcullis/logout"), Map.of());
    assertThat(logout.statusCode()).isEqualTo(302);

    assertThat(browser.get(server.url("whoami", "/")).statusCode()).isEqualTo(302);
    assertThat(browser.get(server.url("portcullis", "/")).statusCode()).isEqualTo(302);
    assertThat(audit(server, "user.logout")).anySatisfy(e -> assertThat(e.event().user()).isEqualTo("alice"));
  }

  @Test
  void publicPathsNeedNoSignInButEverythingElseDoes() {
    assertThat(browser.get(server.url("whoami", "/public/status")).statusCode()).isEqualTo(200);
    assertThat(browser.get(server.url("whoami", "/publicity")).statusCode()).isEqualTo(302);
    assertThat(browser.get(server.url("whoami", "/"), Map.of("Accept", "application/json")).statusCode()).isEqualTo(401);
  }

  private JsonNode whoamiReport(String path) throws Exception {
    HttpResponse<String> response = browser.get(server.url("whoami", path), Map.of("Accept", "application/json"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
