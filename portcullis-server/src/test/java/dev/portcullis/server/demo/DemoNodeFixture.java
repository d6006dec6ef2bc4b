package dev.portcullis.server.demo;

import dev.portcullis.identity.Identity;
import dev.portcullis.server.PortcullisServer;
import dev.portcullis.ssh.ca.SshPublicKeys;
import dev.portcullis.ssh.issuance.Issuance;
import dev.portcullis.ssh.users.CurrentUsers;
import dev.portcullis.testing.TestClock;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;

/**
 * A demo as {@code portcullis demo} starts it, on free ports and a clock the test controls, and a laptop with the
 * real OpenSSH client that trusts the demo's host CA and nothing else.
 */
final class DemoNodeFixture implements AutoCloseable {
  final TestClock clock;
  final Demo demo;
  final DemoSshClient client;

  private DemoNodeFixture(TestClock clock, Demo demo, DemoSshClient client) {
    this.clock = clock;
    this.demo = demo;
    this.client = client;
  }

  static DemoNodeFixture start(Path dir) throws IOException {
    DemoSshClient.requireOpenSshClient();
    TestClock clock = TestClock.frozenNow();
    Demo demo = Demo.start(dir.resolve("data"), freePort(), freePort(), clock, new SecureRandom());
    try {
      DemoSshClient client = new DemoSshClient(dir.resolve("laptop"), demo.node().port(),
          demo.server().ssh().hostCa().knownHostsLines("*"));
      return new DemoNodeFixture(clock, demo, client);
    } catch (IOException | RuntimeException e) {
      demo.close();
      throw e;
    }
  }

  PortcullisServer server() {
    return demo.server();
  }

  /** A demo user as the configuration has them now ({@code alice} or {@code bob}, provider {@code local}). */
  Identity user(String username) {
    return CurrentUsers.current(new Identity(username, null, null, null, "local", username), server().policy().config())
        .orElseThrow(() -> new IllegalArgumentException("no demo user " + username));
  }

  /**
   * A new key with a certificate issued as {@code portcullis login} gets one: the user's logins from their roles,
   * and the user remembered for nodes to judge.
   */
  Path loggedIn(String keyName, String username) throws IOException {
    Path key = client.newKey(keyName);
    Identity user = user(username);
    Issuance issuance = server().ssh().issuer().issue(user, SshPublicKeys.parse(client.publicKey(key)),
        server().policy(), Optional.empty());
    if (!(issuance instanceof Issuance.Issued issued)) {
      throw new IllegalStateException("no certificate for " + username + ": " + issuance);
    }
    server().ssh().sshUsers().remember(user, issued.validBefore());
    client.certify(key, issued.certificate());
    return key;
  }

  /** Remembers {@code username} as login does, until {@code until}, without issuing anything. */
  void remember(String username, Instant until) {
    server().ssh().sshUsers().remember(user(username), until);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    demo.close();
  }
}
