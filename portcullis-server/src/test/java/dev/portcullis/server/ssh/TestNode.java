package dev.portcullis.server.ssh;

import dev.portcullis.node.accounts.AccountReconciler;
import dev.portcullis.node.accounts.HostCommands;
import dev.portcullis.node.agent.AgentPaths;
import dev.portcullis.node.agent.HeartbeatResult;
import dev.portcullis.node.agent.JoinOptions;
import dev.portcullis.node.agent.JoinResult;
import dev.portcullis.node.agent.NodeAgent;
import dev.portcullis.node.agent.NodeAgentException;
import dev.portcullis.node.agent.NodeJoin;
import dev.portcullis.node.agent.SshdControl;
import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.NodeSshd;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One server joined as a Portcullis node, laid out as on Debian inside a test directory: a throwaway sshd whose
 * main configuration includes {@code etc/ssh/sshd_config.d/*.conf} and nothing about certificates, the real
 * {@link NodeJoin} writing the drop-in and reloading that sshd by SIGHUP to its pid, and the real
 * {@link NodeAgent} heartbeating and managing accounts (its record of managed logins in the test directory).
 */
final class TestNode implements AutoCloseable {

  final String name;
  final Path dir;
  final AgentPaths paths;
  final NodeSshd sshd;
  final SshdControl control;
  private final NodeAgent agent;

  private TestNode(String name, Path dir, AgentPaths paths, NodeSshd sshd) {
    this.name = name;
    this.dir = dir;
    this.paths = paths;
    this.sshd = sshd;
    this.control = new SshdControl(SshdControl.DEFAULT_SSHD, new SshdControl.Reload.PidFile(sshd.pidFile()));
    this.agent = new NodeAgent(paths.stateDir(), control,
        AccountReconciler.create(HostCommands.linux(), dir.resolve("var/lib/portcullis/managed-accounts.json")));
  }

  /**
   * Starts the node's sshd. {@code PermitRootLogin prohibit-password} lets a certificate for root reach the
   * principals check, so the tests see that Portcullis, not sshd's defaults, refuses root.
   */
  static TestNode start(Path dir, String name) throws IOException {
    Path etcSsh = Files.createDirectories(dir.resolve("etc/ssh"));
    Path hostKey = NodeSshd.hostKey(etcSsh.resolve("ssh_host_ed25519_key"));
    AgentPaths paths = AgentPaths.of(dir.resolve("etc/portcullis"), etcSsh.resolve("sshd_config"),
        etcSsh.resolve("sshd_config.d"), etcSsh.resolve("ssh_host_ed25519_key.pub"),
        etcSsh.resolve("portcullis_user_ca.pub"));
    NodeSshd sshd = NodeSshd.start(paths.sshdConfig(), hostKey, etcSsh.resolve("sshd_config.d"),
        List.of("PermitRootLogin prohibit-password"), List.of());
    return new TestNode(name, dir, paths, sshd);
  }

  /**
   * {@code portcullis node join --insecure} (the test server's certificate is self-signed: join pins its key)
   * at 127.0.0.1 and this sshd's port, then waits until sshd restarted with the new configuration.
   */
  JoinResult join(URI proxy, String token, Map<String, String> labels, Path launcher, String principalsUser)
      throws NodeAgentException {
    int mark = sshd.logMark();
    JoinResult joined = new NodeJoin(paths, control).join(JoinOptions.of(proxy, token, labels)
        .withName(name)
        .withAddress("127.0.0.1:" + sshd.port())
        .withInsecure(true)
        .withPrincipalsUser(principalsUser)
        .withLauncher(launcher));
    if (!sshd.awaitLog(mark, "Received SIGHUP; restarting.", Duration.ofSeconds(10)) || !sshd.awaitListening(mark)) {
      throw new IllegalStateException("sshd did not restart after join:\n" + String.join("\n", sshd.logSince(mark)));
    }
    return joined;
  }

  /** One heartbeat of the real agent ({@code portcullis node run --once}). */
  HeartbeatResult heartbeat() throws NodeAgentException {
    return agent.heartbeat();
  }

  /** Runs the drop-in's principals command by hand, as sshd would (but as root), for {@code login} and {@code keyId}. */
  Command.Result principals(Path launcher, String login, String keyId) {
    return Command.run(List.of(launcher.toString(), "node", "principals", "--state-dir=" + paths.stateDir(),
        "--login=" + login, "--key-id=" + keyId), Duration.ofSeconds(20));
  }

  /** The sshd log since {@code mark}, for assertion messages. */
  String logSince(int mark) {
    return "sshd of " + name + ":\n" + String.join("\n", sshd.logSince(mark));
  }

  @Override
  public void close() {
    sshd.close();
  }
}
