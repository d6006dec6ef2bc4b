package dev.portcullis.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.ssh.ca.SshCaType;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import dev.portcullis.ssh.openssh.KeyFiles;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code node join} on this machine's real sshd ({@code sshd -t} and {@code -T}) against the scripted server:
 * what it writes and with which owners and modes, what it refuses before spending the token, and how it puts
 * every file back when sshd rejects the result.
 */
class NodeJoinTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  static Path shared;
  static Path launcher;
  static String principalsUser;
  static SshCertificateAuthority userCa;
  static SshCertificateAuthority hostCa;
  static ScriptedPortcullis server;
  TestHost host;

  @BeforeAll
  static void startServer() throws IOException {
    RealNode.require();
    shared = RealNode.directory();
    launcher = RealNode.launcher(shared.resolve("opt"));
    principalsUser = RealNode.throwawayName("pcprinc");
    userCa = SshCertificateAuthority.open(SshCaType.USER, shared.resolve("ca"), InstantSource.system(), RANDOM);
    hostCa = SshCertificateAuthority.open(SshCaType.HOST, shared.resolve("ca"), InstantSource.system(), RANDOM);
    server = ScriptedPortcullis.start(userCa, hostCa);
  }

  @BeforeEach
  void newHost() throws IOException {
    host = TestHost.create();
  }

  @AfterEach
  void removeHost() throws IOException {
    server.certifyAnotherKeyAtJoin(null);
    host.close();
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (server != null) {
      server.close();
    }
    RealNode.cleanUp();
    RealNode.delete(shared);
  }

  @Test
  void writesTheCaKeysHostCertificateAndDropInAndACredentialOnlyRootAndThePrincipalsUserCanRead() throws Exception {
    JoinResult result = host.join(server, launcher, principalsUser);

    AgentPaths paths = host.paths;
    assertThat(Files.readAllLines(paths.userCaKeys())).isEqualTo(userCa.trustedPublicKeys());
    RealNode.Run inspect = RealNode.run(RealOpenSsh.SSH_KEYGEN.toString(), "-L", "-f",
        paths.hostCertificate().toString());
    assertThat(inspect.stdout()).contains("host certificate", "Signing CA: ED25519 " + hostCa.activeKey().fingerprint())
        .contains("Public key: ED25519-CERT " + fingerprint(host.hostKey)).contains(TestHost.NODE, "127.0.0.1");
    assertThat(result.hostNames()).containsExactly(TestHost.NODE, "127.0.0.1");
    assertThat(Files.readString(paths.sshdDropIn())).contains(
        "TrustedUserCAKeys " + paths.userCaKeys() + "\n",
        "HostCertificate " + paths.hostCertificate() + "\n",
        "AuthorizedPrincipalsCommand " + launcher + " node principals --state-dir=" + paths.stateDir()
            + " --login=%u --key-id=%i\n",
        "AuthorizedPrincipalsCommandUser " + principalsUser + "\n");
    for (Path file : List.of(paths.userCaKeys(), paths.hostCertificate(), paths.sshdDropIn())) {
      assertOwnedAndMode(file, "root", "root", "rw-r--r--");
    }
    String group = groupOf(principalsUser);
    assertOwnedAndMode(paths.stateDir(), "root", group, "rwxr-x---");
    assertOwnedAndMode(paths.nodeFile(), "root", group, "rw-r-----");
    // The principals user reads the credential; any other unprivileged account cannot.
    assertThat(RealNode.run("/usr/sbin/runuser", "-u", principalsUser, "--", "/bin/cat", paths.nodeFile().toString())
        .stdout()).contains("\"credential\"");
    assertThat(RealNode.run("/usr/sbin/runuser", "-u", "nobody", "--", "/bin/cat", paths.nodeFile().toString())
        .exitCode()).isNotZero();

    NodeState state = NodeState.read(paths.stateDir());
    assertThat(state.name()).isEqualTo(TestHost.NODE);
    assertThat(state.labels()).isEqualTo(Map.of("env", "dev", "team", "web"));
    assertThat(state.tlsPin()).isEmpty();
    assertThat(server.nodes()).anySatisfy(node -> {
      assertThat(node.name()).isEqualTo(TestHost.NODE);
      assertThat(node.labels()).isEqualTo(Map.of("env", "dev", "team", "web"));
      assertThat(node.address()).isEqualTo("127.0.0.1:2222");
      assertThat(node.hostKey()).isEqualTo(host.hostKey.publicKeyLine());
    });
    assertThat(result.reload()).isPresent();
    assertThat(host.reloadMarker()).exists();
  }

  @Test
  void refusesAReusedJoinTokenAndSaysSoWithoutTouchingTheHost() throws Exception {
    String token = server.issueToken();
    try (TestHost first = TestHost.create()) {
      new NodeJoin(first.paths, first.control()).join(first.options(server, token, launcher, principalsUser));
    }

    assertThatThrownBy(() -> new NodeJoin(host.paths, host.control())
        .join(host.options(server, token, launcher, principalsUser)))
        .isInstanceOf(NodeAgentException.class)
        .hasMessageContaining("the server refused the join token (HTTP 401 invalid-token")
        .hasMessageContaining("a join token works once, until it expires")
        .hasMessageContaining("portcullis tokens add --type node");
    assertNothingWritten();
  }

  @Test
  void putsEveryPreviousFileBackWhenSshdRejectsTheNewConfiguration() throws Exception {
    // The drop-ins are included inside a Match block, where sshd does not allow HostCertificate: sshd accepts
    // the configuration as it is, and rejects it once the Portcullis drop-in is there.
    host.mainConfig(List.of(), List.of("Match User nobody", "  Include " + host.dropInDir() + "/*.conf"));
    Path caKeys = host.paths.userCaKeys();
    Path certificate = host.paths.hostCertificate();
    Files.writeString(caKeys, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPreviousPreviousPreviousPreviousPrevious old-ca\n");
    Files.setPosixFilePermissions(caKeys, PosixFilePermissions.fromString("rw-r-----"));
    Files.writeString(certificate, "previous certificate\n");
    Files.setPosixFilePermissions(certificate, PosixFilePermissions.fromString("rw-------"));
    byte[] caKeysBefore = Files.readAllBytes(caKeys);
    byte[] certificateBefore = Files.readAllBytes(certificate);

    assertThatThrownBy(() -> host.join(server, launcher, principalsUser))
        .isInstanceOf(NodeAgentException.class)
        .hasMessageContaining("sshd -t rejected the new configuration")
        .hasMessageContaining("Directive 'HostCertificate' is not allowed within a Match block")
        .hasMessageContaining("The previous files were restored and sshd was not reloaded")
        .hasMessageContaining("The join token is used up");

    assertThat(Files.readAllBytes(caKeys)).isEqualTo(caKeysBefore);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(caKeys))).isEqualTo("rw-r-----");
    assertThat(Files.readAllBytes(certificate)).isEqualTo(certificateBefore);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certificate))).isEqualTo("rw-------");
    assertThat(host.paths.sshdDropIn()).doesNotExist();
    assertThat(host.paths.stateDir()).doesNotExist();
    assertThat(host.reloadMarker()).doesNotExist();
    assertThat(RealNode.run(RealOpenSsh.SSHD.toString(), "-t", "-f", host.paths.sshdConfig().toString()).exitCode())
        .isZero();
  }

  @Test
  void putsThePreviousJoinBackWhenSshdWouldIgnoreTheNewDropIn() throws Exception {
    host.join(server, launcher, principalsUser);
    byte[] nodeFileBefore = Files.readAllBytes(host.paths.nodeFile());
    byte[] dropInBefore = Files.readAllBytes(host.paths.sshdDropIn());
    Files.delete(host.reloadMarker());
    // An earlier drop-in sets TrustedUserCAKeys; sshd keeps the first value, so ours would not be in force.
    Files.writeString(host.dropInDir().resolve("10-local.conf"), "TrustedUserCAKeys /etc/ssh/local_ca.pub\n");

    assertThatThrownBy(() -> host.join(server, launcher, principalsUser))
        .isInstanceOf(NodeAgentException.class)
        .hasMessageContaining("sshd does not use the Portcullis settings: trustedusercakeys is /etc/ssh/local_ca.pub")
        .hasMessageContaining("The previous files were restored");

    assertThat(Files.readAllBytes(host.paths.nodeFile())).isEqualTo(nodeFileBefore);
    assertThat(Files.readAllBytes(host.paths.sshdDropIn())).isEqualTo(dropInBefore);
    assertThat(host.reloadMarker()).doesNotExist();
  }

  @Test
  void refusesWithoutSpendingTheTokenWhenSshdConfigDoesNotIncludeTheDropInDirectory() {
    host.mainConfig(List.of(), List.of());
    String token = server.issueToken();

    assertThatThrownBy(() -> new NodeJoin(host.paths, host.control())
        .join(host.options(server, token, launcher, principalsUser)))
        .isInstanceOf(NodeAgentException.class)
        .hasMessageContaining(host.paths.sshdConfig() + " does not include " + host.paths.sshdDropIn())
        .hasMessageContaining("Include " + host.dropInDir() + "/*.conf")
        .hasMessageContaining("the join token was not used");
    assertThat(server.tokenUnused(token)).isTrue();
    assertNothingWritten();
  }

  @Test
  void refusesWithoutSpendingTheTokenWhenSshdsCurrentConfigurationIsAlreadyInvalid() throws IOException {
    Files.writeString(host.dropInDir().resolve("40-typo.conf"), "PermitRootLogn no\n");
    String token = server.issueToken();

    assertThatThrownBy(() -> new NodeJoin(host.paths, host.control())
        .join(host.options(server, token, launcher, principalsUser)))
        .isInstanceOf(NodeAgentException.class)
        .hasMessageContaining("sshd's current configuration is already invalid")
        .hasMessageContaining("Bad configuration option: PermitRootLogn")
        .hasMessageContaining("the join token was not used");
    assertThat(server.tokenUnused(token)).isTrue();
    assertNothingWritten();
  }

  @Test
  void refusesALauncherThatAnyoneButRootCouldChange() throws IOException {
    Path unsafe = Files.createDirectories(host.dir.resolve("unsafe"));
    Files.setPosixFilePermissions(unsafe, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path copy = Files.copy(launcher, unsafe.resolve("portcullis"));
    String token = server.issueToken();

    assertThatThrownBy(() -> new NodeJoin(host.paths, host.control())
        .join(host.options(server, token, copy, principalsUser)))
        .isInstanceOf(NodeAgentException.class)
        .hasMessageContaining("is not safe for sshd to run: " + unsafe + " is writable by group or others");
    assertThat(server.tokenUnused(token)).isTrue();
    assertNothingWritten();
  }

  @Test
  void refusesAHostCertificateThatCertifiesAnotherKey() throws IOException {
    server.certifyAnotherKeyAtJoin(KeyFiles.create(host.dir, "other_key").publicKeyLine());

    assertThatThrownBy(() -> host.join(server, launcher, principalsUser))
        .isInstanceOf(NodeAgentException.class)
        .hasMessageContaining("host_certificate: it certifies another key than this host's")
        .hasMessageContaining("nothing was written");
    assertNothingWritten();
  }

  @Test
  void verifiesTheServersTlsCertificateUnlessToldOtherwise() throws Exception {
    SelfSignedTls tls = SelfSignedTls.create(host.dir, "server");
    try (ScriptedPortcullis https = ScriptedPortcullis.startTls(userCa, hostCa, tls.context())) {
      String token = https.issueToken();

      assertThatThrownBy(() -> new NodeJoin(host.paths, host.control())
          .join(host.options(https, token, launcher, principalsUser)))
          .isInstanceOf(NodeAgentException.class)
          .hasMessageContaining("cannot verify the TLS certificate of " + https.url())
          .hasMessageContaining("--insecure");
      assertThat(https.tokenUnused(token)).isTrue();
    }
    assertNothingWritten();
  }

  @Test
  void insecureJoinPinsTheServersKeyAndLaterCallsRefuseAnyOtherKey() throws Exception {
    SelfSignedTls tls = SelfSignedTls.create(host.dir, "server");
    SelfSignedTls impostorTls = SelfSignedTls.create(host.dir, "impostor");
    try (ScriptedPortcullis https = ScriptedPortcullis.startTls(userCa, hostCa, tls.context());
        ScriptedPortcullis impostor = ScriptedPortcullis.startTls(userCa, hostCa, impostorTls.context())) {
      new NodeJoin(host.paths, host.control())
          .join(host.options(https, https.issueToken(), launcher, principalsUser).withInsecure(true));
      NodeState joined = NodeState.read(host.paths.stateDir());
      assertThat(joined.tlsPin()).hasValue(tls.pin());
      https.grant("alice@local", "alice");
      assertThat(NodePrincipals.lookup(host.paths.stateDir(), "alice", "alice@local", NodePrincipals.TIMEOUT))
          .containsExactly("alice");

      // The same credential, sent to a server with another key (a man in the middle), is never sent.
      Files.write(host.paths.nodeFile(), new NodeState(impostor.url(), joined.name(), joined.credential(),
          joined.labels(), joined.address(), joined.tlsPin(), joined.paths()).toJson());
      assertThatThrownBy(() -> NodePrincipals.lookup(host.paths.stateDir(), "alice", "alice@local",
          NodePrincipals.TIMEOUT))
          .isInstanceOf(NodeAgentException.class)
          .hasMessageContaining("is not the one pinned at join");
      assertThat(impostor.principalsQueries()).isEmpty();
    }
  }

  private void assertNothingWritten() {
    assertThat(host.paths.stateDir()).doesNotExist();
    assertThat(host.paths.sshdDropIn()).doesNotExist();
    assertThat(host.paths.userCaKeys()).doesNotExist();
    assertThat(host.paths.hostCertificate()).doesNotExist();
    assertThat(host.reloadMarker()).doesNotExist();
  }

  private static void assertOwnedAndMode(Path path, String owner, String group, String mode) throws IOException {
    assertThat(Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName()).as(path + " owner").isEqualTo(owner);
    assertThat(Files.getAttribute(path, "posix:group", LinkOption.NOFOLLOW_LINKS).toString()).as(path + " group")
        .isEqualTo(group);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)))
        .as(path + " mode").isEqualTo(mode);
  }

  private static String groupOf(String user) throws IOException {
    String gid = RealNode.run("/usr/bin/id", "-g", user).stdout().strip();
    return RealNode.run("/usr/bin/getent", "group", gid).stdout().split(":")[0];
  }

  private static String fingerprint(KeyFiles key) throws IOException {
    RealNode.Run listing = RealNode.run(RealOpenSsh.SSH_KEYGEN.toString(), "-l", "-f", key.privateKey() + ".pub");
    return listing.stdout().split(" ")[1];
  }
}
