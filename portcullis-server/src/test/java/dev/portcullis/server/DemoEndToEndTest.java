package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.server.demo.Demo;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code portcullis demo} as a user meets it: started the way the command starts it, then used through
 * the URLs it prints, with the users and the password the README names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoEndToEndTest {
  /** The README's promise: both demo users sign in with this password. */
  private static final String PASSWORD = "portcullis";
  private static final Pattern PRINTED_URL = Pattern.compile("^\\s+([A-Za-z ]+):\\s+(https://\\S+)", Pattern.MULTILINE);

  private Path dataDir;
  private int port;
  private Demo demo;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    dataDir = dir.resolve("data");
    port = TestServer.freePort();
    demo = Demo.start(dataDir, port, Clock.systemUTC(), new SecureRandom());
  }

  @AfterAll
  void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void printsTheSignInUrlAndEachAppsUrlOnTheChosenPort() {
    Map<String, URI> printed = printedUrls();

    assertThat(printed).containsExactly(
        Map.entry("Sign in", URI.create("https://portcullis.localhost:" + port + "/")),
        Map.entry("whoami", URI.create("https://whoami.localhost:" + port + "/")),
        Map.entry("ops", URI.create("https://ops.localhost:" + port + "/")));
    assertThat(demo.banner())
        .contains("alice (group dev) and bob (group ops), password \"" + PASSWORD + "\"")
        .contains("audit search --data-dir " + dataDir);
    assertThat(demo.server().config().server().listen().host()).as("loopback only").isEqualTo("127.0.0.1");
  }

  @Test
  void thePrintedSignInUrlLeadsToTheSignInForm() {
    HttpResponse<String> form = browser().follow(printedUrls().get("Sign in"));

    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.body()).contains("name=\"username\"").contains("name=\"password\"");
  }

  @Test
  void aliceOfGroupDevReachesWhoamiButNotOps() {
    TestBrowser alice = browser();

    HttpResponse<String> whoami = WebFixtures.signInLocally(alice, printedUrls().get("whoami"), "alice", PASSWORD, null);
    HttpResponse<String> ops = alice.follow(printedUrls().get("ops"));

    assertThat(whoami.statusCode()).isEqualTo(200);
    assertThat(whoami.body()).contains("<h1 id=\"app\">whoami</h1>").contains("alice@example.com");
    assertThat(ops.statusCode()).isEqualTo(403);
    assertThat(ops.body()).contains("no-rule-matched");
  }

  @Test
  void bobOfGroupOpsReachesBothApps() {
    TestBrowser bob = browser();

    HttpResponse<String> ops = WebFixtures.signInLocally(bob, printedUrls().get("ops"), "bob", PASSWORD, null);
    HttpResponse<String> whoami = bob.follow(printedUrls().get("whoami"));

    assertThat(ops.statusCode()).isEqualTo(200);
    assertThat(ops.body()).contains("<h1 id=\"app\">ops</h1>").contains("bob@example.com");
    assertThat(whoami.statusCode()).isEqualTo(200);
    assertThat(whoami.body()).contains("<h1 id=\"app\">whoami</h1>");
  }

  @Test
  void aSecondRunOnTheSameDataDirectoryKeepsTheCertificateAndTheSessions() throws Exception {
    TestBrowser alice = browser();
    assertThat(WebFixtures.signInLocally(alice, printedUrls().get("whoami"), "alice", PASSWORD, null).statusCode())
        .isEqualTo(200);
    String certificate = Files.readString(certificate());
    String cookie = alice.cookies().getCookieStore().get(printedUrls().get("whoami")).stream()
        .filter(c -> c.getName().equals("_portcullis")).findFirst().orElseThrow().getValue();

    demo.close();
    demo = Demo.start(dataDir, port, Clock.systemUTC(), new SecureRandom());

    assertThat(Files.readString(certificate())).as("the certificate is reused").isEqualTo(certificate);
    // A new client: connections to the stopped server must not be reused, as a restarted process never would be.
    HttpResponse<String> after = browser().get(printedUrls().get("whoami"), Map.of("Cookie", "_portcullis=" + cookie));
    assertThat(after.statusCode()).as("alice is still signed in").isEqualTo(200);
  }

  private Map<String, URI> printedUrls() {
    Map<String, URI> urls = new LinkedHashMap<>();
    for (Matcher m = PRINTED_URL.matcher(demo.banner()); m.find(); ) {
      urls.put(m.group(1).strip(), URI.create(m.group(2)));
    }
    return urls;
  }

  private Path certificate() {
    return dataDir.resolve("tls").resolve("self-signed.crt");
  }

  private TestBrowser browser() {
    return new TestBrowser(certificate());
  }

  @Test
  void theDemoUsersGetSshLoginsFromTheirRoles() throws Exception {
    assertThat(demo.server().config().roles()).extracting(role -> role.name()).contains("employee", "operator");
    var policy = dev.portcullis.policy.PolicySnapshot.of(demo.server().config());
    var alice = new dev.portcullis.identity.Identity("alice", "alice@example.com", java.util.List.of("dev"),
        java.util.Map.of(), "local", "alice");
    var bob = new dev.portcullis.identity.Identity("bob", "bob@example.com", java.util.List.of("ops"),
        java.util.Map.of(), "local", "bob");

    assertThat(policy.sshGrant(alice).logins()).containsExactly("alice");
    assertThat(policy.sshGrant(bob).logins()).containsExactlyInAnyOrder("bob", "ops");
    var demoNode = new dev.portcullis.policy.NodeResource("demo-node", java.util.Map.of("env", "demo"));
    assertThat(policy.sudoFor(bob, demoNode, "ops")).isTrue();
    assertThat(policy.sudoFor(alice, demoNode, "alice")).isFalse();
  }
}
