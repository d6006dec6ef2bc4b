package dev.portcullis.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.node.accounts.AccountReconciler;
import dev.portcullis.node.accounts.HostCommands;
import dev.portcullis.ssh.ca.SshCaType;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's heartbeat on a joined test host: real local accounts through {@link AccountReconciler} (throwaway
 * names, removed afterwards), the CA keys and host certificate rewritten and checked with the real
 * {@code sshd -t}, and a loop that keeps going with backoff.
 */
class NodeAgentTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  static Path shared;
  static Path launcher;
  static String principalsUser;
  SshCertificateAuthority userCa;
  SshCertificateAuthority hostCa;
  ScriptedPortcullis server;
  TestHost host;
  NodeAgent agent;

  @BeforeAll
  static void requireRealNode() throws IOException {
    RealNode.require();
    shared = RealNode.directory();
    launcher = RealNode.launcher(shared.resolve("opt"));
    principalsUser = RealNode.throwawayName("pcprinc");
  }

  @BeforeEach
  void joinATestHost() throws Exception {
    host = TestHost.create();
    userCa = SshCertificateAuthority.open(SshCaType.USER, host.dir.resolve("ca"), InstantSource.system(), RANDOM);
    hostCa = SshCertificateAuthority.open(SshCaType.HOST, host.dir.resolve("ca"), InstantSource.system(), RANDOM);
    server = ScriptedPortcullis.start(userCa, hostCa);
    host.join(server, launcher, principalsUser);
    Files.delete(host.reloadMarker());
    agent = new NodeAgent(host.paths.stateDir(), host.control(),
        AccountReconciler.create(HostCommands.linux(), host.dir.resolve("managed-accounts.json")));
  }

  @AfterEach
  void cleanUp() throws IOException {
    if (server != null) {
      server.close();
    }
    RealNode.cleanUp();
    if (host != null) {
      host.close();
    }
  }

  @AfterAll
  static void removeShared() throws IOException {
    RealNode.cleanUp();
    RealNode.delete(shared);
  }

  @Test
  void createsAndRemovesLocalAccountsAsTheServerListsThem() throws Exception {
    String admin = RealNode.throwawayName("pcnode");
    String user = RealNode.throwawayName("pcnode");
    server.accounts(Map.of(admin, true, user, false));

    HeartbeatResult first = agent.heartbeat();

    assertThat(first.ok()).isTrue();
    assertThat(first.accounts().orElseThrow().created()).containsExactlyInAnyOrder(admin, user);
    assertThat(first.accounts().orElseThrow().sudoGranted()).containsExactly(admin);
    assertThat(first.summary()).contains("accounts created", admin, user, "sudo granted [" + admin + "]");
    assertThat(RealNode.accountExists(admin)).isTrue();
    assertThat(RealNode.accountExists(user)).isTrue();
    assertThat(server.heartbeats()).last().isEqualTo(Map.of("env", "dev", "team", "web"));

    server.accounts(Map.of(user, false));
    HeartbeatResult second = agent.heartbeat();

    assertThat(second.accounts().orElseThrow().removed()).containsExactly(admin);
    assertThat(second.accounts().orElseThrow().sudoRevoked()).containsExactly(admin);
    assertThat(second.summary()).isEqualTo("removed [" + admin + "]; sudo revoked [" + admin + "]");
    assertThat(RealNode.accountExists(admin)).isFalse();
    assertThat(Path.of("/etc/sudoers.d/portcullis-" + admin)).doesNotExist();
    assertThat(RealNode.accountExists(user)).isTrue();

    server.accounts(Map.of());
    assertThat(agent.heartbeat().accounts().orElseThrow().removed()).containsExactly(user);
    assertThat(RealNode.accountExists(user)).isFalse();
    assertThat(agent.heartbeat().summary()).isEqualTo("no changes");
    assertThat(host.reloadMarker()).doesNotExist();
  }

  @Test
  void trustsTheNewUserCaKeysAfterARotationAndReloadsSshdOnlyWhenTheyChange() throws Exception {
    userCa.rotate();

    HeartbeatResult rotated = agent.heartbeat();

    assertThat(rotated.userCaKeys()).hasValue(2);
    assertThat(rotated.reload()).isPresent();
    assertThat(Files.readAllLines(host.paths.userCaKeys())).isEqualTo(userCa.trustedPublicKeys()).hasSize(2);
    assertThat(host.reloadMarker()).exists();
    assertThat(rotated.summary()).contains("user CA keys updated (2 keys)", "sshd reloaded");

    Files.delete(host.reloadMarker());
    HeartbeatResult unchanged = agent.heartbeat();

    assertThat(unchanged.changed()).isFalse();
    assertThat(host.reloadMarker()).doesNotExist();
  }

  @Test
  void installsARenewedHostCertificateForThisHostsKey() throws Exception {
    byte[] before = Files.readAllBytes(host.paths.hostCertificate());
    server.renewHostCertificate(true);

    HeartbeatResult renewed = agent.heartbeat();

    assertThat(renewed.hostCertificate()).isPresent();
    assertThat(Files.readAllBytes(host.paths.hostCertificate())).isNotEqualTo(before);
    RealNode.Run inspect = RealNode.run(RealOpenSsh.SSH_KEYGEN.toString(), "-L", "-f",
        host.paths.hostCertificate().toString());
    assertThat(inspect.stdout()).contains("host certificate", TestHost.NODE);
    assertThat(host.reloadMarker()).exists();
  }

  @Test
  void keepsThePreviousFilesWhenSshdRejectsTheConfigurationAndStillManagesAccounts() throws Exception {
    byte[] caKeysBefore = Files.readAllBytes(host.paths.userCaKeys());
    Files.writeString(host.dropInDir().resolve("40-typo.conf"), "PermitRootLogn no\n");
    userCa.rotate();
    String user = RealNode.throwawayName("pcnode");
    server.accounts(Map.of(user, false));

    HeartbeatResult result = agent.heartbeat();

    assertThat(result.ok()).isFalse();
    assertThat(result.problems()).singleElement().asString()
        .contains("sshd -t rejected", "PermitRootLogn", "the previous files were restored");
    assertThat(Files.readAllBytes(host.paths.userCaKeys())).isEqualTo(caKeysBefore);
    assertThat(host.reloadMarker()).doesNotExist();
    assertThat(result.accounts().orElseThrow().created()).containsExactly(user);
  }

  @Test
  void changesNothingWhenTheAnswerHasNoAccountList() throws Exception {
    String user = RealNode.throwawayName("pcnode");
    server.accounts(Map.of(user, false));
    agent.heartbeat();
    server.heartbeatBody("{\"ssh_user_ca\": [\"" + userCa.trustedPublicKeys().getFirst() + "\"]}");

    assertThatThrownBy(agent::heartbeat)
        .isInstanceOf(NodeAgentException.class)
        .hasMessageContaining("accounts: missing")
        .hasMessageContaining("nothing was changed");
    assertThat(RealNode.accountExists(user)).isTrue();
  }

  @Test
  void saysWhenTheServerNoLongerKnowsTheNode() {
    server.forgetNodes();

    assertThatThrownBy(agent::heartbeat)
        .isInstanceOf(NodeAgentException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("was the node removed? Join again");
  }

  @Test
  void keepsGoingThroughFailuresWithBackoffAndReturnsToTheIntervalOnceTheServerRecovers() {
    server.mode(ScriptedPortcullis.Mode.FAIL);
    List<Duration> waits = new ArrayList<>();
    Map<Integer, Runnable> script = new LinkedHashMap<>();
    script.put(3, () -> server.mode(ScriptedPortcullis.Mode.NORMAL));

    assertThatThrownBy(() -> agent.run(Duration.ofSeconds(15), wait -> {
      waits.add(wait);
      script.getOrDefault(waits.size(), () -> { }).run();
      if (waits.size() == 5) {
        throw new InterruptedException("stop");
      }
    })).isInstanceOf(InterruptedException.class);

    assertThat(waits).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120),
        Duration.ofSeconds(15), Duration.ofSeconds(15));
    assertThat(server.heartbeats()).hasSize(2);
  }

  @Test
  void backsOffByDoublingUpToFiveMinutes() {
    Duration interval = Duration.ofSeconds(15);

    assertThat(List.of(0, 1, 2, 3, 4, 5, 50)).map(failures -> NodeAgent.backoff(interval, failures))
        .containsExactly(Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofSeconds(120), Duration.ofSeconds(240), Duration.ofMinutes(5), Duration.ofMinutes(5));
    assertThat(NodeAgent.backoff(Duration.ofMinutes(10), 3)).isEqualTo(Duration.ofMinutes(10));
  }
}
