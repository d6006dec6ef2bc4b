package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.AuditQuery;
import dev.portcullis.server.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code portcullis} command line, run in-process as users run it, against the configuration and
 * the data directory of a server that really served sign-ins and denials.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliEndToEndTest {
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
            - username: bob
              email: bob@example.com
              groups: [ops]
              password_hash: "%s"
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
          rules:
            deny:
              - path_prefixes: [/admin]
        - name: ops
          host: ops.localhost
          upstream: {OPS}
          rules:
            allow:
              - groups: [ops]
      """;

  private TestServer server;
  private Path config;
  private Path dataDir;

  /** What one command printed and returned. */
  record Run(int exitCode, String out, String err) {}

  @BeforeAll
  void runAServer(@TempDir Path dir) {
    server = TestServer.start(dir, CONFIG.formatted("{HASH}"));
    config = server.configFile;
    dataDir = server.dataDir;
    Instant now = server.clock.instant();
    // One failed attempt two hours ago, which --since 1h must leave out.
    server.clock.set(now.minus(Duration.ofHours(2)));
    TestBrowser early = new TestBrowser(server.certificate());
    WebFixtures.submitLocalForm(early, early.follow(server.url("whoami", "/")), "alice", "wrong password", null);
    server.clock.set(now);
    TestBrowser alice = new TestBrowser(server.certificate());
    WebFixtures.signInLocally(alice, server.url("whoami", "/"), "alice", TestServer.PASSWORD, null);
    assertThat(alice.get(server.url("whoami", "/admin/users")).statusCode()).isEqualTo(403);
    TestBrowser bob = new TestBrowser(server.certificate());
    WebFixtures.signInLocally(bob, server.url("ops", "/"), "bob", TestServer.PASSWORD, null);
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void accessCheckPrintsDenyWithTheRuleThatDeniedAndExitsOne() {
    Run run = run("access", "check", "--config", config.toString(), "--user", "alice", "--groups", "dev",
        "--app", "whoami", "--path", "/admin");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).startsWith("DENY  alice (groups dev) -> whoami GET /admin")
        .contains("rule-deny: app rule deny[0] matched: path_prefixes [/admin]");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void accessCheckPrintsAllowWithTheRolesAndExitsZero() {
    Run run = run("access", "check", "--config", config.toString(), "--user", "bob", "--groups", "ops",
        "--app", "ops", "--path", "/dashboard");

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).startsWith("ALLOW bob (groups ops) -> ops GET /dashboard")
        .contains("roles: employee")
        .contains("rule-allow: app rule allow[0] matched: groups [ops]");
    assertThat(run("access", "check", "--config", config.toString(), "--user", "alice", "--groups", "dev",
        "--app", "ops").out()).as("the same app for another group").startsWith("DENY").contains("no-rule-matched");
  }

  @Test
  void anUnknownAppNamesTheFlagAndTheChoicesWithoutAStackTrace() {
    Run run = run("access", "check", "--config", config.toString(), "--user", "alice", "--app", "wiki");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--app").contains("wiki").contains("whoami, ops");
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void auditSearchListsTheLoginsAndDenialsOfAUserInTheLastHour() {
    Run byDataDir = run("audit", "search", "--data-dir", dataDir.toString(), "--user", "alice", "--since", "1h");
    Run byConfig = run("audit", "search", "--config", config.toString(), "--user", "alice", "--since", "1h");

    assertThat(byDataDir.exitCode()).as(byDataDir.err()).isEqualTo(0);
    List<String> lines = byDataDir.out().lines().toList();
    assertThat(lines).hasSize(3).last().isEqualTo("2 event(s)");
    assertThat(lines.get(0)).contains("PC2001W", "access.denied", "alice", "local", "app:whoami", "rule-deny");
    assertThat(lines.get(1)).contains("PC1000I", "user.login", "alice", "local");
    assertThat(byConfig).isEqualTo(byDataDir);
    assertThat(run("audit", "search", "--data-dir", dataDir.toString(), "--user", "alice", "--since", "3h").out())
        .as("a wider window includes the older failed login").contains("user.login.failed").contains("3 event(s)");
  }

  @Test
  void auditVerifyReportsAnIntactLogAndCatchesAnEditedEvent(@TempDir Path copy) throws Exception {
    int events = server.server().audit().store().search(AuditQuery.all(10_000)).size();

    Run intact = run("audit", "verify", "--data-dir", dataDir.toString());

    assertThat(intact.exitCode()).as(intact.err()).isEqualTo(0);
    assertThat(intact.out().strip()).isEqualTo("audit log intact: " + events + " event(s)");

    try (Connection live = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("portcullis.db"));
        Statement statement = live.createStatement()) {
      statement.execute("VACUUM INTO '" + copy.resolve("portcullis.db") + "'");
    }
    try (Connection tampered = DriverManager.getConnection("jdbc:sqlite:" + copy.resolve("portcullis.db"));
        Statement statement = tampered.createStatement()) {
      statement.execute("DROP TRIGGER audit_events_no_update");
      assertThat(statement.executeUpdate(
          "UPDATE audit_events SET json = replace(json, 'alice', 'mallory') WHERE type = 'access.denied'")).isEqualTo(1);
    }
    Run caught = run("audit", "verify", "--data-dir", copy.toString());
    assertThat(caught.exitCode()).isEqualTo(1);
    assertThat(caught.out()).contains("TAMPERED");
  }

  @Test
  void hashPasswordReadsStandardInputAndTheServerAcceptsTheHash(@TempDir Path otherServer) throws Exception {
    Run hashed = withStdin("a brand new passphrase\n", () -> run("hash-password"));
    Run tooShort = withStdin("short\n", () -> run("hash-password"));

    assertThat(hashed.exitCode()).as(hashed.err()).isEqualTo(0);
    String hash = hashed.out().strip();
    assertThat(hash).startsWith("$argon2id$v=19$");
    assertThat(tooShort.exitCode()).isEqualTo(2);
    assertThat(tooShort.err()).contains("too short").contains("at least 8");
    try (TestServer other = TestServer.start(otherServer, CONFIG.formatted(hash))) {
      TestBrowser wrong = new TestBrowser(other.certificate());
      HttpResponse<String> refused = WebFixtures.submitLocalForm(
          wrong, wrong.follow(other.url("ops", "/")), "bob", "a brand new passphras", null);
      assertThat(refused.statusCode()).isEqualTo(401);
      HttpResponse<String> page = WebFixtures.signInLocally(
          new TestBrowser(other.certificate()), other.url("ops", "/"), "bob", "a brand new passphrase", null);
      assertThat(page.statusCode()).isEqualTo(200);
    }
  }

  private static Run run(String... args) {
    CommandLine commandLine = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private static Run withStdin(String input, java.util.function.Supplier<Run> command) {
    InputStream original = System.in;
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    try {
      return command.get();
    } finally {
      System.setIn(original);
    }
  }
}
