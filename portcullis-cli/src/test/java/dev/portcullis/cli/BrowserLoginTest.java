package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cli.fixtures.CliRunner;
import dev.portcullis.cli.fixtures.CliRunner.Run;
import dev.portcullis.cli.fixtures.ScriptedBrowser;
import dev.portcullis.cli.internal.Pkce;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code portcullis login} without {@code --user}: the browser sign-in end to end, with the CLI's loopback
 * callback, the state check and the PKCE verifier.
 */
class BrowserLoginTest extends WithScriptedServer {

  @Test
  void signsInThroughTheBrowserAndTheLoopbackCallback() throws Exception {
    server.signInBrowserAs("alice");
    ScriptedBrowser browser = new ScriptedBrowser(TLS.clientContext());

    Run run = CliRunner.run(new LoginCommand(context().browser(browser).build()), "--proxy", server.url().toString());

    assertThat(run.exitCode()).as(run::describe).isZero();
    ScriptedBrowser.Visit visit = browser.visit().get(5, TimeUnit.SECONDS);
    Map<String, String> authorize = query(visit.authorize());
    assertThat(visit.authorize().getRawPath()).isEqualTo("/.portcullis/cli/authorize");
    assertThat(visit.authorize().getAuthority()).isEqualTo(server.url().getAuthority());
    assertThat(visit.callback().getHost()).isEqualTo("127.0.0.1");
    assertThat(visit.callback().getPort()).isEqualTo(Integer.parseInt(authorize.get("port")));
    assertThat(visit.callback().getPath()).isEqualTo("/callback");
    assertThat(visit.callbackStatus()).isEqualTo(200);
    assertThat(visit.callbackPage()).contains("You can close this tab");
    // The URL is printed for users whose browser does not open.
    assertThat(run.err()).contains(visit.authorize().toString());
    assertThat(run.out()).contains("as alice (local)").contains("Logins:       root, alice");
    assertThat(cliHome().resolve("keys/id_ed25519-cert.pub")).exists();
  }

  @Test
  void sendsThePkceVerifierOfTheChallengeAndAFreshStateEachTime() throws Exception {
    server.signInBrowserAs("alice");
    ScriptedBrowser first = new ScriptedBrowser(TLS.clientContext());
    ScriptedBrowser second = new ScriptedBrowser(TLS.clientContext());

    assertThat(CliRunner.run(new LoginCommand(context().browser(first).build()), "--proxy", server.url().toString())
        .exitCode()).isZero();
    assertThat(CliRunner.run(new LoginCommand(context().browser(second).build()), "--proxy", server.url().toString())
        .exitCode()).isZero();

    Map<String, String> one = query(first.visit().get(5, TimeUnit.SECONDS).authorize());
    Map<String, String> two = query(second.visit().get(5, TimeUnit.SECONDS).authorize());
    assertThat(server.exchangedVerifiers()).hasSize(2);
    String verifier = server.exchangedVerifiers().getFirst();
    assertThat(verifier).hasSizeBetween(43, 128).matches("[A-Za-z0-9._~-]+");
    assertThat(Pkce.challengeOf(verifier)).isEqualTo(one.get("challenge"));
    assertThat(one.get("challenge")).isNotEqualTo(verifier);
    assertThat(two.get("state")).isNotEqualTo(one.get("state"));
    assertThat(two.get("challenge")).isNotEqualTo(one.get("challenge"));
    assertThat(one.get("state")).hasSizeGreaterThanOrEqualTo(43);
  }

  @Test
  void refusesACallbackWhoseStateIsNotTheOneItSent() throws Exception {
    server.signInBrowserAs("alice");
    ScriptedBrowser browser = new ScriptedBrowser(TLS.clientContext(),
        callback -> URI.create(callback.toString().replaceAll("state=[^&]+", "state=forged-by-another-page")));

    Run run = CliRunner.run(new LoginCommand(context().browser(browser).build()), "--proxy", server.url().toString());

    assertThat(run.exitCode()).as(run::describe).isEqualTo(1);
    assertThat(run.err()).contains("state this command did not send");
    assertThat(browser.visit().get(5, TimeUnit.SECONDS).callbackStatus()).isEqualTo(400);
    // The code was never exchanged, and nothing was stored.
    assertThat(server.exchangedVerifiers()).isEmpty();
    assertThat(server.activeTokens()).isEmpty();
    assertThat(cliHome().resolve("profile.json")).doesNotExist();
  }

  @Test
  void showsTheServersMessageWhenItRejectsTheCode() {
    server.signInBrowserAs("alice");
    ScriptedBrowser browser = new ScriptedBrowser(TLS.clientContext(),
        callback -> URI.create(callback.toString().replaceAll("code=[^&]+", "code=not-the-issued-code")));

    Run run = CliRunner.run(new LoginCommand(context().browser(browser).build()), "--proxy", server.url().toString());

    assertThat(run.exitCode()).as(run::describe).isEqualTo(1);
    assertThat(run.err()).contains("POST " + server.url() + "/.portcullis/api/v1/cli/token")
        .contains("code: unknown, used, expired, or not for this verifier").contains("invalid-code");
    assertThat(server.exchangedVerifiers()).hasSize(1);
  }

  @Test
  void givesUpAfterTheTimeoutWhenTheBrowserNeverComesBack() {
    AtomicReference<URI> opened = new AtomicReference<>();
    Run run = CliRunner.run(new LoginCommand(context().browser(opened::set).browserTimeout(Duration.ofSeconds(1))
        .build()), "--proxy", server.url().toString());

    assertThat(run.exitCode()).as(run::describe).isEqualTo(1);
    assertThat(run.err()).contains("no sign-in came back from the browser within 1 s");
    assertThat(opened.get()).isNotNull();
  }

  @Test
  void onlyPrintsTheUrlWithNoBrowser() {
    AtomicReference<URI> opened = new AtomicReference<>();
    Run run = CliRunner.run(new LoginCommand(context().browser(opened::set).browserTimeout(Duration.ofMillis(300))
        .build()), "--proxy", server.url().toString(), "--no-browser");

    assertThat(opened.get()).isNull();
    assertThat(run.err()).contains(server.url() + "/.portcullis/cli/authorize?port=");
  }

  @Test
  void keepsGoingWhenNoBrowserCanBeStartedSoTheUserCanPasteTheUrl() throws Exception {
    server.signInBrowserAs("alice");
    ScriptedBrowser user = new ScriptedBrowser(TLS.clientContext());
    // The system browser fails to start; the user then opens the printed URL by hand.
    Browser broken = uri -> {
      user.open(uri);
      throw new IOException("xdg-open not found");
    };

    Run run = CliRunner.run(new LoginCommand(context().browser(broken).build()), "--proxy", server.url().toString());

    assertThat(run.exitCode()).as(run::describe).isZero();
    assertThat(run.err()).contains("(no browser started: xdg-open not found)");
  }

  private static Map<String, String> query(URI uri) {
    return Arrays.stream(uri.getRawQuery().split("&")).map(pair -> pair.split("=", 2))
        .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
  }
}
