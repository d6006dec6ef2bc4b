package dev.portcullis.server.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.server.TestServer;
import dev.portcullis.testing.MockOAuth2ServerProcess;
import dev.portcullis.testing.openssh.Command;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code portcullis login} without {@code --user}: the CLI opens the browser at the server's CLI sign-in page
 * (PKCE, loopback callback), the person signs in on the web (the local form, or a real OpenID Provider:
 * mock-oauth2-server in its own process) and confirms, the browser lands on the CLI's callback, and the CLI
 * gets a certificate with which the real ssh logs into a real node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliBrowserLoginEndToEndTest {

  private static final String CONFIG = SshFixture.SERVER + """
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
          issuer: {ISSUER}
          client_id: portcullis
          client_secret: corp-secret
      roles:
        - name: dev
          allow:
            node_labels: {env: [dev]}
            logins: [{LOGIN}]
      role_mappings:
        - groups: [dev]
          roles: [dev]
      apps:
        - name: whoami
          host: whoami.localhost
          upstream: {WHOAMI}
      """;

  private MockOAuth2ServerProcess corp;
  private String login;
  private SshFixture fixture;

  @BeforeAll
  void start() throws Exception {
    RealHost.require();
    CompletableFuture<MockOAuth2ServerProcess> starting = CompletableFuture.supplyAsync(MockOAuth2ServerProcess::start);
    login = RealHost.throwawayName("pce2e");
    corp = starting.join();
    fixture = SshFixture.start(CONFIG.replace("{LOGIN}", login).replace("{ISSUER}", corp.issuer("corp").toString()));
  }

  @AfterAll
  void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
    if (corp != null) {
      corp.close();
    }
  }

  @Test
  void signsTheCliInThroughTheWebSignInFormAndSshWorks() throws Exception {
    CliUser alice = fixture.user("alice-browser");
    SignInBrowser browser = new SignInBrowser(fixture.server.certificate(),
        new SignInBrowser.SignIn.Local("alice", TestServer.PASSWORD));

    CliUser.Run signedIn = alice.login(browser, "--proxy", fixture.proxy().toString());

    assertThat(signedIn.exitCode()).as(() -> signedIn.describe() + "\nbrowser:\n" + browser.pages()).isZero();
    assertSignedInThroughTheBrowser(browser, "alice");
    assertThat(signedIn.out()).contains("as alice (local)").contains(login);
    assertSshWorks(alice, "alice@local");
  }

  @Test
  void signsTheCliInThroughARealOidcProviderAndSshWorks() throws Exception {
    // The provider stamps its tokens with real time; the server's test clock must not lag behind.
    fixture.server.clock.set(Instant.now());
    CliUser dana = fixture.user("dana");
    SignInBrowser browser = new SignInBrowser(fixture.server.certificate(), new SignInBrowser.SignIn.Oidc("corp",
        corp, "corp-subject-dana", Map.of("preferred_username", "dana", "email", "dana@corp.example",
            "email_verified", true, "groups", List.of("dev"))));

    CliUser.Run signedIn = dana.login(browser, "--proxy", fixture.proxy().toString());

    assertThat(signedIn.exitCode()).as(() -> signedIn.describe() + "\nbrowser:\n" + browser.pages()).isZero();
    assertSignedInThroughTheBrowser(browser, "dana");
    assertThat(signedIn.out()).contains("as dana (corp)");
    assertSshWorks(dana, "dana@corp");
  }

  /** The browser went through the confirmation page for {@code user} and delivered the code to the CLI. */
  private static void assertSignedInThroughTheBrowser(SignInBrowser browser, String user) {
    assertThat(browser.opened().getPath()).isEqualTo("/.portcullis/cli/authorize");
    assertThat(browser.pages()).anyMatch(page -> page.contains("Sign in the Portcullis command line on this computer as"
        + " <b id=\"user\">" + user + "</b>?"));
    HttpResponse<String> callback = browser.callbackPage();
    assertThat(callback.uri().getHost()).isEqualTo("127.0.0.1");
    assertThat(callback.statusCode()).as(callback.body()).isEqualTo(200);
  }

  /** The agent creates the login's account once the server knows the user; then the user's certificate logs in. */
  private void assertSshWorks(CliUser user, String keyId) throws Exception {
    var beat = fixture.web1.heartbeat();
    assertThat(beat.ok()).as(beat::summary).isTrue();
    int mark = fixture.web1.sshd.logMark();
    Command.Result ssh = user.ssh(fixture.web1.sshd.port(), login, "id", "-un");
    assertThat(ssh.exitCode()).as(() -> ssh.describe() + "\n" + fixture.web1.logSince(mark)).isZero();
    assertThat(ssh.stdout()).isEqualTo(login + "\n");
    assertThat(fixture.web1.sshd.awaitLog(mark, "Accepted certificate ID \"" + keyId + "\"", Duration.ofSeconds(5)))
        .as(() -> fixture.web1.logSince(mark)).isTrue();
  }
}
