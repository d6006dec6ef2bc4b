package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.AuditEvent;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Editing the configuration file of a running server: a valid edit is served within seconds, a broken
 * one is refused with its place in the file while the running configuration keeps serving, and a fix is
 * picked up again. Every outcome is an audit event.
 */
class ConfigReloadEndToEndTest {
  private static final Duration RELOAD_WITHIN = Duration.ofSeconds(8);

  private static final String BASE = """
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
        - name: ops
          host: ops.localhost
          upstream: {OPS}
          rules:
            allow:
              - groups: [ops]
      """;

  /** A third app under a path of the ops host, which the generated certificate already covers. */
  private static final String WIKI = """
        - name: wiki
          host: ops.localhost
          path_prefix: /wiki
          upstream: %s
      """;

  @TempDir Path dir;
  private TestServer server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void servesAnAddedAppKeepsServingThroughBrokenEditsAndPicksUpTheFix() throws Exception {
    server = TestServer.start(dir, BASE);
    TestBrowser browser = new TestBrowser(server.certificate());
    URI wikiPage = server.url("ops", "/wiki/start");
    WebFixtures.signInLocally(browser, server.url("whoami", "/"), "alice", TestServer.PASSWORD, null);
    assertThat(browser.follow(wikiPage).statusCode()).as("before the edit, /wiki belongs to ops, which alice may not use")
        .isEqualTo(403);

    AuditTrail added = AuditTrail.mark(server);
    server.rewriteConfig(BASE + WIKI.formatted("{WHOAMI}"));
    assertThat(awaitUpstream(browser, wikiPage, "whoami")).isLessThan(RELOAD_WITHIN);
    assertThat(added.since("config.reloaded")).hasSize(1);
    assertThat(added.since("config.reload.failed")).isEmpty();

    AuditTrail broken = AuditTrail.mark(server);
    String badUrl = BASE + WIKI.formatted("ftp://wiki.internal");
    server.rewriteConfig(badUrl);
    AuditEvent refused = broken.await("config.reload.failed", any(), RELOAD_WITHIN);
    assertThat(String.join("\n", refused.reasons()))
        .contains("portcullis.yaml:" + lineOf(server.yaml(badUrl), "upstream: ftp://wiki.internal") + ":")
        .contains("apps[2].upstream")
        .contains("ftp://wiki.internal");
    assertThat(UpstreamReport.fetch(browser, wikiPage).app()).as("the previous configuration keeps serving").isEqualTo("whoami");

    String missingCa = BASE + WIKI.formatted("https://127.0.0.1:1") + """
            upstream_tls:
              ca_file: %s
        """.formatted(dir.resolve("no-such-ca.pem"));
    server.rewriteConfig(missingCa);
    AuditEvent unbuildable = broken.await("config.reload.failed",
        event -> String.join(" ", event.reasons()).contains("ca_file"), RELOAD_WITHIN);
    assertThat(String.join(" ", unbuildable.reasons())).contains("wiki").contains("no-such-ca.pem");
    assertThat(UpstreamReport.fetch(browser, wikiPage).app()).isEqualTo("whoami");
    assertThat(broken.since("config.reloaded")).as("neither broken edit was applied").isEmpty();

    AuditTrail fixed = AuditTrail.mark(server);
    server.rewriteConfig(BASE + WIKI.formatted("{OPS}"));
    assertThat(awaitUpstream(browser, wikiPage, "ops")).isLessThan(RELOAD_WITHIN);
    assertThat(fixed.since("config.reloaded")).hasSize(1);
    assertThat(browser.get(server.url("whoami", "/")).statusCode()).as("sessions outlive reloads").isEqualTo(200);
  }

  /** Polls until {@code url} is answered by the upstream named {@code app}; returns how long that took. */
  private static Duration awaitUpstream(TestBrowser browser, URI url, String app) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(15).toNanos();
    HttpResponse<String> last;
    do {
      last = browser.get(url, java.util.Map.of("Accept", "application/json"));
      if (last.statusCode() == 200 && UpstreamReport.parse(last.body()).app().equals(app)) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(url + " never reached upstream " + app + "; last answer " + last.statusCode() + ": " + last.body());
  }

  private static int lineOf(String yaml, String text) {
    List<String> lines = yaml.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line with " + text);
  }

  private static Predicate<AuditEvent> any() {
    return event -> true;
  }
}
