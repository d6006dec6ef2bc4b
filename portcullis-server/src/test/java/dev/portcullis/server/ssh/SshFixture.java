package dev.portcullis.server.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.AuditQuery;
import dev.portcullis.audit.StoredAuditEvent;
import dev.portcullis.node.agent.JoinResult;
import dev.portcullis.node.agent.NodeAgentException;
import dev.portcullis.server.TestServer;
import dev.portcullis.server.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * Everything real, on this machine: a Portcullis server (HTTPS, SQLite) and node {@code web-1} (labels
 * {@code env=dev}), enrolled with a join token that an admin made with {@code portcullis tokens add}. Tests
 * add users, further nodes and configuration changes; {@link #close()} removes every throwaway account.
 */
final class SshFixture implements AutoCloseable {

  /** The sign-in host is {@code localhost}: the principals command, a separate JVM, resolves it like any host. */
  static final String SERVER = """
      server:
        listen: 127.0.0.1:{PORT}
        public_url: https://localhost:{PORT}
        data_dir: {DATA}
      """;

  final Path dir;
  final TestServer server;
  final Path launcher;
  final String principalsUser;
  final TestNode web1;
  final String web1Token;
  final JoinResult web1Joined;
  private final List<TestNode> nodes = new ArrayList<>();

  private SshFixture(Path dir, TestServer server, Path launcher, String principalsUser, TestNode web1,
      String web1Token, JoinResult web1Joined) {
    this.dir = dir;
    this.server = server;
    this.launcher = launcher;
    this.principalsUser = principalsUser;
    this.web1 = web1;
    this.web1Token = web1Token;
    this.web1Joined = web1Joined;
    nodes.add(web1);
  }

  /** Starts the server with {@code config} (a {@link TestServer} template that starts with {@link #SERVER}) and joins web-1. */
  static SshFixture start(String config) throws IOException, NodeAgentException {
    RealHost.require();
    Path dir = RealHost.directory("ssh-e2e-");
    TestServer server = null;
    TestNode web1 = null;
    try {
      server = TestServer.start(Files.createDirectories(dir.resolve("server")), config);
      Path launcher = RealHost.launcher(dir.resolve("opt"));
      String principalsUser = RealHost.throwawayName("pce2ep");
      web1 = TestNode.start(dir.resolve("web-1"), "web-1");
      String token = newJoinToken(server);
      JoinResult joined = web1.join(proxy(server), token, Map.of("env", "dev"), launcher, principalsUser);
      return new SshFixture(dir, server, launcher, principalsUser, web1, token, joined);
    } catch (IOException | NodeAgentException | RuntimeException e) {
      if (web1 != null) {
        web1.close();
      }
      closeQuietly(server);
      RealHost.cleanUp();
      throw e;
    }
  }

  URI proxy() {
    return proxy(server);
  }

  /** A user of the CLI on a laptop, with a home of their own. */
  CliUser user(String name) throws IOException {
    return new CliUser(Files.createDirectories(dir.resolve("laptops").resolve(name)).resolve(".portcullis"),
        server.certificate());
  }

  /** {@code portcullis login --user USERNAME --password-stdin} as {@code user}, with the test password. */
  CliUser.Run passwordLogin(CliUser user, String username) {
    return user.login(TestServer.PASSWORD + "\n", "--proxy", proxy().toString(), "--user", username,
        "--password-stdin");
  }

  /** Another node on this machine, with its own sshd, joined with a fresh token. */
  TestNode joinNode(String name, Map<String, String> labels) throws IOException, NodeAgentException {
    TestNode node = TestNode.start(dir.resolve(name), name);
    nodes.add(node);
    node.join(proxy(), newJoinToken(server), labels, launcher, principalsUser);
    return node;
  }

  /** {@code portcullis ARGS --config FILE}, in-process, as the admin runs it on the server host. */
  CliUser.Run admin(String... args) {
    return admin(server, args);
  }

  /** Rewrites the configuration and waits until the running server has reloaded it. */
  void reconfigure(String config) throws IOException, InterruptedException {
    int reloads = audit("config.reloaded").size();
    server.rewriteConfig(config);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (audit("config.reloaded").size() == reloads) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the server did not reload its configuration: "
            + audit("config.reload.failed"));
      }
      Thread.sleep(50);
    }
  }

  List<StoredAuditEvent> audit(String type) {
    return server.server().audit().store().search(
        new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(type), 1000));
  }

  /**
   * The newest {@code type} event that matches, waiting up to 10 s for it: events of a session's end are written as
   * the connection closes, so they may trail the client's exit.
   */
  StoredAuditEvent awaitEvent(String type, java.util.function.Predicate<StoredAuditEvent> matching)
      throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (true) {
      Optional<StoredAuditEvent> found = audit(type).stream().filter(matching).reduce((first, second) -> second);
      if (found.isPresent()) {
        return found.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no matching " + type + " event among " + audit(type));
      }
      Thread.sleep(50);
    }
  }

  /**
   * Locks {@code username} while {@code ssh} runs a live session of theirs through the bastion, checks that the
   * session ends within 5 seconds, tells the user why ({@code errors}: the client's stderr) and is audited, and
   * unlocks the user again.
   */
  void lockEndsLiveSession(String username, Process ssh, CompletableFuture<byte[]> errors) throws Exception {
    CliUser.Run lock = admin("users", "lock", username, "--reason", "offboarding");
    assertThat(lock.exitCode()).as(lock::describe).isZero();
    long locked = System.nanoTime();
    try {
      assertThat(ssh.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - locked)).isLessThan(Duration.ofSeconds(5));
      assertThat(new String(errors.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8))
          .contains("Portcullis: session ended: user " + username + " is locked");
      awaitEvent("session.end", event -> username.equals(event.event().user())
          && event.event().reasons().contains("user " + username + " is locked"));
    } finally {
      admin("users", "unlock", username);
      ssh.destroyForcibly();
    }
  }

  @Override
  public void close() throws IOException {
    nodes.forEach(TestNode::close);
    closeQuietly(server);
    RealHost.cleanUp();
    RealHost.delete(dir);
  }

  private static URI proxy(TestServer server) {
    return URI.create("https://localhost:" + server.port);
  }

  private static String newJoinToken(TestServer server) {
    CliUser.Run add = admin(server, "tokens", "add", "--type", "node", "--ttl", "10m");
    if (add.exitCode() != 0) {
      throw new IllegalStateException("portcullis tokens add failed: " + add.describe());
    }
    return add.out().lines().findFirst().orElseThrow().strip();
  }

  private static CliUser.Run admin(TestServer server, String... args) {
    CommandLine commandLine = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    List<String> line = new ArrayList<>(List.of(args));
    line.addAll(List.of("--config", server.configFile.toString()));
    int exitCode = commandLine.execute(line.toArray(String[]::new));
    return new CliUser.Run(exitCode, out.toString(), err.toString());
  }

  private static void closeQuietly(TestServer server) {
    if (server != null) {
      try {
        server.close();
      } catch (Exception e) {
        // The first failure is the one to report.
      }
    }
  }
}
