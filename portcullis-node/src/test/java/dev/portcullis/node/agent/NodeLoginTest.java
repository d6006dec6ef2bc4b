package dev.portcullis.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.node.accounts.AccountReconciler;
import dev.portcullis.node.accounts.HostCommands;
import dev.portcullis.node.openssh.SshClient;
import dev.portcullis.ssh.ca.IssuedCertificate;
import dev.portcullis.ssh.ca.SshCaType;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import dev.portcullis.ssh.ca.UserCertificateRequest;
import dev.portcullis.ssh.openssh.KeyFiles;
import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.NodeSshd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node joined for real: a throwaway Debian sshd configured only by the files {@code node join} wrote (its
 * drop-in included from the main configuration, reloaded by SIGHUP), local accounts created by a heartbeat, and
 * the real ssh client logging in with certificates from the scripted server's user CA. Every login goes through
 * the principals command, which sshd runs as the unprivileged principals user.
 */
class NodeLoginTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration TTL = Duration.ofMinutes(10);
  private static final String NODE = "web-1.portcullis.test";
  private static final String ALICE = "alice@local";

  static Path dir;
  static SshCertificateAuthority userCa;
  static SshCertificateAuthority hostCa;
  static ScriptedPortcullis server;
  static NodeSshd sshd;
  static SshClient client;
  static Path knownHosts;
  static String aliceLogin;
  static String bobLogin;
  static KeyFiles aliceKey;
  static JoinResult joined;

  @BeforeAll
  static void joinANodeAndCreateItsAccounts() throws Exception {
    RealNode.require();
    dir = RealNode.directory();
    userCa = SshCertificateAuthority.open(SshCaType.USER, dir.resolve("ca"), InstantSource.system(), RANDOM);
    hostCa = SshCertificateAuthority.open(SshCaType.HOST, dir.resolve("ca"), InstantSource.system(), RANDOM);
    server = ScriptedPortcullis.start(userCa, hostCa);

    Path etcSsh = Files.createDirectories(dir.resolve("etc/ssh"));
    KeyFiles hostKey = KeyFiles.create(etcSsh, "ssh_host_ed25519_key");
    AgentPaths paths = AgentPaths.of(dir.resolve("etc/portcullis"), etcSsh.resolve("sshd_config"),
        etcSsh.resolve("sshd_config.d"), etcSsh.resolve("ssh_host_ed25519_key.pub"),
        etcSsh.resolve("portcullis_user_ca.pub"));
    sshd = NodeSshd.start(paths.sshdConfig(), hostKey.privateKey(), etcSsh.resolve("sshd_config.d"), List.of());
    SshdControl control = new SshdControl(SshdControl.DEFAULT_SSHD, new SshdControl.Reload.PidFile(sshd.pidFile()));

    int mark = sshd.logMark();
    joined = new NodeJoin(paths, control).join(JoinOptions.of(server.url(), server.issueToken(), Map.of("env", "dev"))
        .withName(NODE)
        .withAddress("127.0.0.1:" + sshd.port())
        .withPrincipalsUser(RealNode.throwawayName("pcprinc"))
        .withLauncher(RealNode.launcher(dir.resolve("opt"))));
    assertThat(joined.reload()).hasValueSatisfying(how -> assertThat(how).startsWith("SIGHUP to sshd"));
    assertThat(sshd.awaitLog(mark, "Received SIGHUP; restarting.", Duration.ofSeconds(10))).isTrue();
    assertThat(sshd.awaitListening(mark)).as(() -> String.join("\n", sshd.logSince(mark))).isTrue();

    aliceLogin = RealNode.throwawayName("pcnode");
    bobLogin = RealNode.throwawayName("pcnode");
    server.accounts(Map.of(aliceLogin, false, bobLogin, false));
    AccountReconciler reconciler = AccountReconciler.create(HostCommands.linux(), dir.resolve("managed.json"));
    HeartbeatResult beat = new NodeAgent(paths.stateDir(), control, reconciler).heartbeat();
    assertThat(beat.accounts().orElseThrow().created()).containsExactlyInAnyOrder(aliceLogin, bobLogin);

    knownHosts = KeyFiles.writeLines(dir.resolve("known_hosts"), hostCa.knownHostsLines(NODE));
    client = new SshClient(sshd.port(), knownHosts, NODE);
    aliceKey = KeyFiles.create(dir, "id_alice");
  }

  @AfterEach
  void resetServer() throws IOException {
    server.mode(ScriptedPortcullis.Mode.NORMAL);
    server.unlock(ALICE);
    server.grant(ALICE, aliceLogin);
  }

  @AfterAll
  static void stopAndCleanUp() throws IOException {
    if (sshd != null) {
      sshd.close();
    }
    if (server != null) {
      server.close();
    }
    RealNode.cleanUp();
    RealNode.delete(dir);
  }

  @Test
  void aCertificateLogsInAsALoginTheServerAllowsAndTheHostIsTrustedThroughItsCertificateAlone() throws IOException {
    server.grant(ALICE, aliceLogin);
    int mark = sshd.logMark();

    Command.Result result = client.run(aliceLogin, aliceKey, certificate(ALICE, aliceLogin), "id", "-un");

    assertThat(result.exitCode()).as(() -> result.describe() + "\nsshd:\n" + String.join("\n", sshd.logSince(mark)))
        .isZero();
    assertThat(result.stdout()).isEqualTo(aliceLogin + "\n");
    assertThat(sshd.awaitLog(mark, "Accepted publickey for " + aliceLogin, Duration.ofSeconds(5))).isTrue();
    assertThat(sshd.logSince(mark)).anyMatch(line -> line.contains("Accepted certificate ID \"" + ALICE + "\""));
    // sshd asked the server, through the principals command and the node credential.
    assertThat(server.principalsQueries()).anySatisfy(query -> {
      assertThat(query.login()).isEqualTo(aliceLogin);
      assertThat(query.keyId()).isEqualTo(ALICE);
      assertThat(query.authorization()).isEqualTo("Bearer " + NodeState.read(joined.state().paths().stateDir())
          .credential());
    });
    // StrictHostKeyChecking=yes with nothing but the CA line: only the host certificate could vouch for the host.
    assertThat(Files.readAllLines(knownHosts)).singleElement().asString().startsWith("@cert-authority " + NODE + " ");
  }

  @Test
  void refusesALoginThatTheServerDoesNotAllowEvenWhenTheCertificateNamesIt() {
    // The certificate lists both logins; only the principals command stands between alice and bob's account.
    server.grant(ALICE, aliceLogin);
    Path certificate = certificate(ALICE, aliceLogin, bobLogin);
    int mark = sshd.logMark();

    Command.Result result = client.run(bobLogin, aliceKey, certificate, "true");

    assertRefused(result, mark);
    assertThat(server.principalsQueries()).anySatisfy(query -> assertThat(query.login()).isEqualTo(bobLogin));
  }

  @Test
  void refusesTheNextLoginOnceTheServerLocksTheUser() {
    Path certificate = certificate(ALICE, aliceLogin);
    assertThat(client.run(aliceLogin, aliceKey, certificate, "true").exitCode()).isZero();

    server.lock(ALICE);
    int mark = sshd.logMark();
    Command.Result afterLock = client.run(aliceLogin, aliceKey, certificate, "true");

    assertRefused(afterLock, mark);
  }

  @Test
  void refusesQuicklyWhenTheServerIsDown() throws IOException {
    Path certificate = certificate(ALICE, aliceLogin);
    server.stop();
    try {
      int mark = sshd.logMark();
      long started = System.nanoTime();

      Command.Result result = client.run(aliceLogin, aliceKey, certificate, "true");

      assertRefused(result, mark);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
      assertThat(sshd.logSince(mark)).anyMatch(line -> line.startsWith("AuthorizedPrincipalsCommand ")
          && line.endsWith("failed, status 1"));
    } finally {
      server.restart();
    }
  }

  @Test
  void refusesWithinSecondsWhenTheServerNeverAnswers() {
    Path certificate = certificate(ALICE, aliceLogin);
    server.mode(ScriptedPortcullis.Mode.HANG);
    int mark = sshd.logMark();
    long started = System.nanoTime();

    Command.Result result = client.run(aliceLogin, aliceKey, certificate, "true");

    assertRefused(result, mark);
    // The command gives up after 3 s; JVM start-up and sshd add a little. Without the deadline this would hang.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(sshd.logSince(mark)).anyMatch(line -> line.contains("within 3000 ms"));
  }

  private static Path certificate(String keyId, String... principals) {
    IssuedCertificate issued = userCa.issueUser(UserCertificateRequest.of(aliceKey.publicKeyLine(), keyId,
        List.of(principals), TTL));
    return aliceKey.writeCertificate(issued);
  }

  private static void assertRefused(Command.Result result, int mark) {
    assertThat(result.exitCode()).as(result::describe).isEqualTo(255);
    assertThat(result.stderr()).as(result::describe).contains("Permission denied (publickey)");
    // The refusal has the cause under test: the certificate is fine, the principals command allowed nothing.
    assertThat(sshd.awaitLog(mark, "Certificate does not contain an authorized principal", Duration.ofSeconds(5)))
        .as(() -> String.join("\n", sshd.logSince(mark))).isTrue();
    assertThat(sshd.logSince(mark)).noneMatch(line -> line.contains("Accepted publickey"));
  }
}
