package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.testing.RealComponents;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real nginx is the TLS edge and asks Portcullis about every request to a legacy app through
 * {@code auth_request}, running the documented {@code docs/forward-auth-nginx.conf} itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardAuthNginxTest {
  private static final Path NGINX = Path.of(System.getenv().getOrDefault("PORTCULLIS_TEST_NGINX", "/usr/sbin/nginx"));
  private static final String EXAMPLE = "docs/forward-auth-nginx.conf";

  private static final String CONFIG = """
      server:
        listen: 127.0.0.1:{PORT}
        public_url: https://portcullis.localhost:%d
        data_dir: {DATA}
        trusted_proxies: [127.0.0.1/32]
      identity_providers:
        - name: local
          type: local
          users:
            - username: alice
              email: alice@example.com
              groups: [dev]
              password_hash: "{HASH}"
            - username: bob
              email: bob@example.com
              groups: [ops]
              password_hash: "{HASH}"
      roles:
        - name: employee
          allow:
            app_labels: {"*": ["*"]}
      role_mappings:
        - everyone: true
          roles: [employee]
      apps:
        - name: legacy
          host: legacy.localhost
          upstream: {WHOAMI}
          rules:
            allow:
              - groups: [dev]
      """;

  private int edgePort;
  private TestServer server;
  private Process nginx;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    RealComponents.requireOrSkip(Files.isExecutable(NGINX), "nginx at " + NGINX + " (apt-get install nginx-light)");
    edgePort = TestServer.freePort();
    Path data = Files.createDirectories(dir.resolve("portcullis"));
    server = TestServer.start(data, CONFIG.formatted(edgePort));
    nginx = startNginx(Files.createDirectories(dir.resolve("nginx")));
  }

  @AfterAll
  void stop() throws Exception {
    if (nginx != null) {
      stop(nginx);
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void anAnonymousBrowserIsSentToSignInOnTheAppHost() {
    URI page = edge("legacy", "/reports?year=2026&q=a%20b");

    HttpResponse<String> response = browser().get(page);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
    assertThat(TestBrowser.location(response)).isEqualTo(
        edge("legacy", "/.portcullis/start?return=" + URLEncoder.encode(page.toString(), StandardCharsets.UTF_8)));
  }

  @Test
  void aSignedInUserReachesTheUpstreamThroughNginxWithAVerifiableIdentity() throws Exception {
    TestBrowser browser = browser();
    URI page = edge("legacy", "/reports?year=2026");

    HttpResponse<String> signedIn = WebFixtures.signInLocally(browser, page, "alice", TestServer.PASSWORD, null);

    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
    assertThat(signedIn.uri()).isEqualTo(page);
    UpstreamReport report = UpstreamReport.fetch(browser, page);
    assertThat(report.uri()).isEqualTo("/reports?year=2026");
    assertThat(report.header("x-portcullis-user")).containsExactly("alice");
    assertThat(report.header("x-portcullis-email")).containsExactly("alice@example.com");
    assertThat(report.header("x-portcullis-groups")).containsExactly("dev");
    assertThat(report.header("x-portcullis-roles")).containsExactly("employee");
    JWTClaimsSet claims = report.verifiedAssertion(browser, edge("portcullis", "/.well-known/portcullis/jwks.json"));
    assertThat(claims.getSubject()).isEqualTo("alice");
    assertThat(claims.getAudience()).containsExactly("legacy.localhost");
    assertThat(claims.getStringClaim("email")).isEqualTo("alice@example.com");
  }

  @Test
  void identityHeadersAClientSendsNeverReachTheUpstream() {
    TestBrowser browser = browser();
    URI page = edge("legacy", "/");
    WebFixtures.signInLocally(browser, page, "alice", TestServer.PASSWORD, null);

    HttpResponse<String> response = browser.send(HttpRequest.newBuilder(page).GET()
        .header("Accept", "application/json")
        .header("X-Portcullis-User", "root")
        .header("x-portcullis-groups", "admins")
        .header("X-PORTCULLIS-ROLES", "admin")
        .header("X-Portcullis-Jwt-Assertion", "forged.assertion.value")
        .header("X_Portcullis_User", "root"));

    assertThat(response.statusCode()).isEqualTo(200);
    UpstreamReport report = UpstreamReport.parse(response.body());
    assertThat(report.header("x-portcullis-user")).containsExactly("alice");
    assertThat(report.header("x-portcullis-groups")).containsExactly("dev");
    assertThat(report.header("x-portcullis-roles")).containsExactly("employee");
    assertThat(report.header("x_portcullis_user")).isEmpty();
    report.verifiedAssertion(browser, edge("portcullis", "/.well-known/portcullis/jwks.json"));
  }

  @Test
  void aUserAnAppRuleDeniesGetsNginxs403AndTheDenialIsAudited() throws Exception {
    AuditTrail trail = AuditTrail.mark(server);
    TestBrowser browser = browser();
    URI page = edge("legacy", "/reports");

    HttpResponse<String> denied = WebFixtures.signInLocally(browser, page, "bob", TestServer.PASSWORD, null);

    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).contains("403 Forbidden").contains("nginx").doesNotContain("\"app\"");
    var event = trail.await("access.denied", e -> e.user().equals("bob"), Duration.ofSeconds(5));
    assertThat(event.resource()).isEqualTo("app:legacy");
    assertThat(event.details()).containsEntry("via", "forward-auth").containsEntry("path", "/reports");
    assertThat(String.join(" ", event.reasons())).contains("no-rule-matched");
  }

  @Test
  void signingOutOnTheAppHostMakesNginxAskForSignInAgain() {
    TestBrowser browser = browser();
    URI page = edge("legacy", "/");
    WebFixtures.signInLocally(browser, page, "alice", TestServer.PASSWORD, null);
    assertThat(browser.get(page).statusCode()).isEqualTo(200);

    HttpResponse<String> logout = browser.postForm(edge("legacy", "/.portcullis/logout"), Map.of());

    assertThat(logout.statusCode()).isEqualTo(302);
    assertThat(browser.get(page).statusCode()).isEqualTo(302);
  }

  @Test
  void theVerifyEndpointIsNotReachableThroughTheAppHost() {
    HttpResponse<String> direct = browser().get(edge("legacy", "/.portcullis/verify"),
        Map.of("X-Forwarded-Host", "legacy.localhost", "X-Forwarded-Uri", "/"));

    assertThat(direct.statusCode()).isEqualTo(404);
  }

  private Process startNginx(Path prefix) throws IOException, InterruptedException {
    Files.createDirectories(prefix.resolve("logs"));
    Path tls = server.dataDir.resolve("tls");
    String example = Files.readString(findExample())
        .replace("{{LISTEN}}", "127.0.0.1:" + edgePort)
        .replace("{{CERT}}", tls.resolve("self-signed.crt").toString())
        .replace("{{KEY}}", tls.resolve("self-signed.key").toString())
        .replace("{{PORTCULLIS_CA}}", tls.resolve("self-signed.crt").toString())
        .replace("{{PORTCULLIS}}", "127.0.0.1:" + server.port)
        .replace("{{SIGN_IN_HOST}}", "portcullis.localhost")
        .replace("{{APP_HOST}}", "legacy.localhost")
        .replace("{{APP_UPSTREAM}}", "http://127.0.0.1:" + server.whoami.port());
    assertThat(example.lines().filter(line -> !line.strip().startsWith("#")))
        .as("every placeholder of " + EXAMPLE + " is filled in").noneMatch(line -> line.contains("{{"));
    Files.writeString(prefix.resolve("portcullis.conf"), example);
    // Test-only scaffolding around the example: temp paths inside the prefix so nginx runs unprivileged.
    Files.writeString(prefix.resolve("nginx.conf"), """
        events {}
        http {
          client_body_temp_path %1$s/client_body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          access_log off;
          include %1$s/portcullis.conf;
        }
        """.formatted(prefix));
    Path output = prefix.resolve("nginx.out");
    Process process = new ProcessBuilder(NGINX.toString(), "-p", prefix + "/", "-c", prefix.resolve("nginx.conf").toString(),
        "-g", "daemon off; master_process off; pid " + prefix.resolve("nginx.pid") + "; error_log stderr notice;")
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    // Should the test JVM be stopped before @AfterAll runs, nginx must not outlive it.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "nginx-shutdown"));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", edgePort), 200);
        return process;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    String state = process.isAlive() ? "did not listen on " + edgePort + " within 10 s" : "exited with " + process.exitValue();
    stop(process);
    throw new IllegalStateException("nginx " + state + ":\n" + Files.readString(output));
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Path findExample() {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(EXAMPLE))) {
        return dir.resolve(EXAMPLE);
      }
    }
    throw new IllegalStateException(EXAMPLE + " not found above " + System.getProperty("user.dir"));
  }

  private URI edge(String hostLabel, String pathAndQuery) {
    return URI.create("https://" + hostLabel + ".localhost:" + edgePort + pathAndQuery);
  }

  private TestBrowser browser() {
    return new TestBrowser(server.certificate());
  }
}
