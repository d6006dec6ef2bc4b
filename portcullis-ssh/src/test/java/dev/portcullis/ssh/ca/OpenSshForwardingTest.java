package dev.portcullis.ssh.ca;

import static dev.portcullis.ssh.openssh.OpenSshAssertions.assertLoggedIn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.ssh.openssh.KeyFiles;
import dev.portcullis.ssh.openssh.SshClient;
import dev.portcullis.ssh.openssh.TestSshd;
import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.RealOpenSsh;
import dev.portcullis.testing.openssh.TestSshAgent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate's extensions, enforced by a real sshd: forwarding works only when the certificate permits it. */
class OpenSshForwardingTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration TTL = Duration.ofMinutes(5);
  private static final String BANNER = "portcullis-forward-target";

  @TempDir
  static Path dir;
  static SshCertificateAuthority userCa;
  static TestSshd sshd;
  static SshClient client;
  static KeyFiles alice;
  static ServerSocket target;

  @BeforeAll
  static void start() throws IOException {
    RealOpenSsh.requireOrSkip();
    userCa = SshCertificateAuthority.open(SshCaType.USER, dir.resolve("ca"), InstantSource.system(), RANDOM);
    SshCertificateAuthority hostCa = SshCertificateAuthority.open(SshCaType.HOST, dir.resolve("ca"), InstantSource.system(), RANDOM);
    sshd = TestSshd.start(dir.resolve("sshd"), hostCa, userCa.trustedPublicKeys(), "root");
    client = new SshClient(sshd, KeyFiles.writeLines(dir.resolve("known_hosts"), hostCa.knownHostsLines("*.portcullis.test")));
    alice = KeyFiles.create(dir, "id_alice");
    // The forwarding destination: greets whoever connects, then hangs up.
    target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("forward-target").start(() -> {
      while (!target.isClosed()) {
        try (Socket socket = target.accept(); OutputStream out = socket.getOutputStream()) {
          out.write((BANNER + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
          // closed at the end of the class, or a client gave up
        }
      }
    });
  }

  @AfterAll
  static void stop() throws IOException {
    if (target != null) {
      target.close();
    }
    if (sshd != null) {
      sshd.close();
    }
  }

  @Test
  void refusesPortForwardingWithoutTheExtension() {
    Path cert = alice.writeCertificate(issue(Set.of()));
    int mark = sshd.logMark();

    Command.Result result = client.run(alice, cert, forwardTo(target.getLocalPort()));

    assertThat(result.exitCode()).as(result::describe).isNotZero();
    assertThat(result.stdout()).doesNotContain(BANNER);
    assertThat(result.stderr()).contains("administratively prohibited");
    assertThat(sshd.awaitLog(mark, "refused local port forward", Duration.ofSeconds(5)))
        .as(() -> String.join("\n", sshd.logSince(mark))).isTrue();
  }

  @Test
  void forwardsPortsWithTheExtension() {
    Path cert = alice.writeCertificate(issue(Set.of(UserExtension.PORT_FORWARDING)));
    int mark = sshd.logMark();

    Command.Result result = client.run(alice, cert, forwardTo(target.getLocalPort()));

    assertLoggedIn(sshd, mark, result);
    assertThat(result.stdout()).isEqualTo(BANNER + "\n");
  }

  @Test
  void refusesAgentForwardingWithoutTheExtension() throws Exception {
    Path cert = alice.writeCertificate(issue(Set.of(UserExtension.PORT_FORWARDING, UserExtension.X11_FORWARDING)));

    Command.Result result = withAgent(socket -> client.run(alice, cert,
        forwardAgent(socket), "echo", "agent=${SSH_AUTH_SOCK:-none}"));

    assertThat(result.exitCode()).as(result::describe).isZero();
    assertThat(result.stdout()).isEqualTo("agent=none\n");
  }

  @Test
  void forwardsTheAgentWithTheExtension() throws Exception {
    Path cert = alice.writeCertificate(issue(Set.of(UserExtension.AGENT_FORWARDING)));

    Command.Result result = withAgent(socket -> client.run(alice, cert,
        forwardAgent(socket), "echo", "agent=${SSH_AUTH_SOCK:-none}"));

    assertThat(result.exitCode()).as(result::describe).isZero();
    assertThat(result.stdout()).startsWith("agent=/").doesNotContain("none");
  }

  /** {@code ssh -W}: stdin/stdout forwarded to host:port through sshd; fails at once if sshd refuses. */
  private static List<String> forwardTo(int port) {
    return List.of("-o", "ExitOnForwardFailure=yes", "-W", "127.0.0.1:" + port);
  }

  /** The client asks to forward an agent that really runs (ssh does not ask without one). It holds no keys. */
  private static List<String> forwardAgent(Path socket) {
    return List.of("-o", "ForwardAgent=yes", "-o", "IdentityAgent=" + socket);
  }

  private static IssuedCertificate issue(Set<UserExtension> extensions) {
    return userCa.issueUser(UserCertificateRequest.of(alice.publicKeyLine(), "alice", List.of("root"), TTL)
        .withExtensions(extensions));
  }

  private interface WithSocket {
    Command.Result run(Path socket);
  }

  /** Runs {@code body} while a real ssh-agent listens on its own socket. */
  private static Command.Result withAgent(WithSocket body) throws Exception {
    try (TestSshAgent agent = TestSshAgent.start()) {
      return body.run(agent.socket());
    }
  }
}
