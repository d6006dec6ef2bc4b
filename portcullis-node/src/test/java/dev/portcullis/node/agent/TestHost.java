package dev.portcullis.node.agent;

import dev.portcullis.ssh.openssh.KeyFiles;
import dev.portcullis.testing.openssh.NodeSshd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A host's OpenSSH files in a test directory, laid out as on Debian ({@code etc/ssh/sshd_config} including
 * {@code etc/ssh/sshd_config.d/*.conf}, an Ed25519 host key), for join and heartbeat tests that run the real
 * {@code sshd -t} but no daemon. Reloads run {@code touch} on a marker file, so tests see whether one happened.
 */
final class TestHost implements AutoCloseable {

  static final String NODE = "web-1.portcullis.test";

  final Path dir;
  final Path etcSsh;
  final KeyFiles hostKey;
  final AgentPaths paths;

  private TestHost(Path dir) throws IOException {
    this.dir = dir;
    this.etcSsh = Files.createDirectories(dir.resolve("etc/ssh"));
    this.hostKey = KeyFiles.create(etcSsh, "ssh_host_ed25519_key");
    this.paths = AgentPaths.of(dir.resolve("etc/portcullis"), etcSsh.resolve("sshd_config"), dropInDir(),
        etcSsh.resolve("ssh_host_ed25519_key.pub"), etcSsh.resolve("portcullis_user_ca.pub"));
    Files.createDirectories(dropInDir());
    mainConfig(List.of("Include " + dropInDir() + "/*.conf"), List.of());
  }

  static TestHost create() throws IOException {
    return new TestHost(RealNode.directory());
  }

  Path dropInDir() {
    return etcSsh.resolve("sshd_config.d");
  }

  /** Rewrites sshd_config: {@code head}, a test server's settings, {@code tail}. */
  void mainConfig(List<String> head, List<String> tail) {
    NodeSshd.writeConfig(paths.sshdConfig(), hostKey.privateKey(), 2222, head, tail);
  }

  Path reloadMarker() {
    return dir.resolve("sshd-reloaded");
  }

  /** The real sshd for {@code -t} and {@code -T}; a reload touches {@link #reloadMarker()}. */
  SshdControl control() {
    return new SshdControl(SshdControl.DEFAULT_SSHD,
        new SshdControl.Reload.Command(List.of("/usr/bin/touch", reloadMarker().toString())));
  }

  /** Join options for {@link #NODE} at 127.0.0.1:2222 with the given launcher and principals user. */
  JoinOptions options(ScriptedPortcullis server, String token, Path launcher, String principalsUser) {
    return JoinOptions.of(server.url(), token, Map.of("env", "dev", "team", "web"))
        .withName(NODE)
        .withAddress("127.0.0.1:2222")
        .withLauncher(launcher)
        .withPrincipalsUser(principalsUser);
  }

  JoinResult join(ScriptedPortcullis server, Path launcher, String principalsUser) throws NodeAgentException {
    return new NodeJoin(paths, control()).join(options(server, server.issueToken(), launcher, principalsUser));
  }

  @Override
  public void close() throws IOException {
    RealNode.delete(dir);
  }
}
