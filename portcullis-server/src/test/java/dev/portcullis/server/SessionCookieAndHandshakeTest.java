package dev.portcullis.server;

import static dev.portcullis.server.WebFixtures.LOCAL_CONFIG;
import static dev.portcullis.server.WebFixtures.signInLocally;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.session.SessionCookies;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionCookieAndHandshakeTest {
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
  void theBrowserHoldsOnlyAnOpaqueHttpOnlySecureLaxHandle() {
    signInLocally(browser, server.url("whoami", "/"), "alice", TestServer.PASSWORD, null);
    HttpCookie cookie = sessionCookie("whoami");

    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getSecure()).isTrue();
    assertThat(cookie.getValue()).matches("[A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{43}");
  }

  @Test
  void aTamperedCookieIsTreatedAsNoSession() {
    signInLocally(browser, server.url("whoami", "/"), "alice", TestServer.PASSWORD, null);
    String value = sessionCookie("whoami").getValue();
    // The first character of the MAC: all six of its bits count. The last one's low two bits are padding (43
    // characters carry 256 bits), so changing only those could leave the same bytes.
    int at = value.indexOf('.') + 1;
    String tampered = value.substring(0, at) + (value.charAt(at) == 'A' ? 'B' : 'A') + value.substring(at + 1);

    assertThat(fresh().get(server.url("whoami", "/"), Map.of("Cookie", "_portcullis=" + value)).statusCode()).isEqualTo(200);
    assertThat(fresh().get(server.url("whoami", "/"), Map.of("Cookie", "_portcullis=" + tampered)).statusCode()).isEqualTo(302);
  }

  @Test
  void aCookieIssuedForOneHostIsRefusedOnAnother() {
    signInLocally(browser, server.url("whoami", "/"), "alice", TestServer.PASSWORD, null);
    String whoamiCookie = sessionCookie("whoami").getValue();

    HttpResponse<String> onOtherHost = fresh().get(server.url("portcullis", "/"), Map.of("Cookie", "_portcullis=" + whoamiCookie));

    assertThat(onOtherHost.statusCode()).isEqualTo(302);
    assertThat(TestBrowser.location(onOtherHost).getPath()).isEqualTo("/.portcullis/sign_in");
  }

  @Test
  void aCookieSignedWithAnotherKeyIsRefusedEvenForALiveSession() {
    signInLocally(browser, server.url("whoami", "/"), "alice", TestServer.PASSWORD, null);
    String sessionId = sessionCookie("whoami").getValue().split("\\.")[0];
    byte[] otherKey = new byte[32];
    new SecureRandom().nextBytes(otherKey);
    String forged = new SessionCookies(otherKey).encode(sessionId, "whoami.localhost");

    assertThat(fresh().get(server.url("whoami", "/"), Map.of("Cookie", "_portcullis=" + forged)).statusCode()).isEqualTo(302);
  }

  @Test
  void aHandshakeCodeIsRefusedInABrowserThatDidNotAskForIt() {
    signInLocally(browser, server.url("whoami", "/"), "alice", TestServer.PASSWORD, null);
    URI callback = handshakeCallback("ops");

    assertThat(fresh().get(callback).statusCode()).as("a code planted in another browser").isEqualTo(400);
    assertThat(browser.get(callback).statusCode()).as("a refused code is spent").isEqualTo(400);
  }

  @Test
  void aHandshakeCodeWorksExactlyOnce() {
    signInLocally(browser, server.url("whoami", "/"), "alice", TestServer.PASSWORD, null);
    URI callback = handshakeCallback("ops");

    HttpResponse<String> first = browser.get(callback);
    assertThat(first.statusCode()).isEqualTo(302);
    assertThat(first.headers().allValues("set-cookie")).anyMatch(c -> c.startsWith("_portcullis="));
    assertThat(browser.get(callback).statusCode()).isEqualTo(400);
  }

  /** The callback URL the sign-in host sends a signed-in browser to, for an app host. */
  private URI handshakeCallback(String hostLabel) {
    HttpResponse<String> challenge = browser.get(server.url(hostLabel, "/"));
    URI callback = TestBrowser.location(browser.get(TestBrowser.location(challenge)));
    assertThat(callback.getHost()).isEqualTo(hostLabel + ".localhost");
    assertThat(callback.getQuery()).matches("code=[A-Za-z0-9_-]{43}");
    return callback;
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://evil.example/", "//evil.example/", "/\\evil.example", "%2F%2Fevil.example", "https:%2F%2Fevil.example",
      "https://whoami.localhost.evil.example/", "https://evil.example%23@whoami.localhost/", "%5C%5Cevil.example"})
  void theSignInReturnUrlNeverLeavesTheConfiguredHosts(String hostileReturn) {
    HttpResponse<String> form = browser.follow(
        URI.create(server.url("portcullis", "/.portcullis/sign_in").toString() + "?return="
            + java.net.URLEncoder.encode(hostileReturn, java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(form.statusCode()).isEqualTo(200);
    HttpResponse<String> signedIn = WebFixtures.submitLocalForm(browser, form, "alice", TestServer.PASSWORD, null);

    URI destination = TestBrowser.location(signedIn);
    assertThat(destination.getHost()).isEqualTo("portcullis.localhost");
    assertThat(destination.getPort()).isEqualTo(server.port);
  }

  private HttpCookie sessionCookie(String hostLabel) {
    return browser.cookies().getCookieStore().get(server.url(hostLabel, "/")).stream()
        .filter(c -> c.getName().equals("_portcullis")).findFirst()
        .orElseThrow(() -> new AssertionError("no session cookie for " + hostLabel));
  }

  private TestBrowser fresh() {
    return new TestBrowser(server.certificate());
  }
}
