package dev.portcullis.node.agent;

import dev.portcullis.node.agent.internal.SshdConfigs;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Every file the node agent reads or writes. {@link #defaults()} are Debian's OpenSSH locations; tests point
 * all of them into a temporary directory. Paths that end up in sshd's configuration must be plain (no
 * whitespace, quotes or {@code %}), because sshd splits its directives on whitespace and expands {@code %}.
 *
 * @param stateDir        the agent's own directory: {@code node.json} (the node credential) and the launcher
 *                        that sshd runs for principals; default {@code /etc/portcullis}
 * @param hostPublicKey   the host key to certify; default {@code /etc/ssh/ssh_host_ed25519_key.pub}
 * @param hostCertificate where the host certificate goes (sshd's {@code HostCertificate}); default
 *                        {@code /etc/ssh/ssh_host_ed25519_key-cert.pub}
 * @param userCaKeys      the user CA keys file (sshd's {@code TrustedUserCAKeys}); default
 *                        {@code /etc/ssh/portcullis_user_ca.pub}
 * @param sshdConfig      sshd's main configuration, which must include the drop-in; default
 *                        {@code /etc/ssh/sshd_config}
 * @param sshdDropIn      the drop-in the agent owns; default {@code /etc/ssh/sshd_config.d/50-portcullis.conf}
 */
public record AgentPaths(Path stateDir, Path hostPublicKey, Path hostCertificate, Path userCaKeys,
    Path sshdConfig, Path sshdDropIn) {

  public static final Path DEFAULT_STATE_DIR = Path.of("/etc/portcullis");
  public static final Path DEFAULT_SSHD_CONFIG = Path.of("/etc/ssh/sshd_config");
  public static final Path DEFAULT_SSHD_CONFIG_DIR = Path.of("/etc/ssh/sshd_config.d");
  public static final Path DEFAULT_HOST_PUBLIC_KEY = Path.of("/etc/ssh/ssh_host_ed25519_key.pub");
  public static final Path DEFAULT_USER_CA_KEYS = Path.of("/etc/ssh/portcullis_user_ca.pub");
  /** The drop-in's file name: sshd reads drop-ins in lexical order and keeps the first value it sees. */
  public static final String DROP_IN_NAME = "50-portcullis.conf";

  public AgentPaths {
    stateDir = absolute("stateDir", stateDir);
    hostPublicKey = absolute("hostPublicKey", hostPublicKey);
    hostCertificate = absolute("hostCertificate", hostCertificate);
    userCaKeys = absolute("userCaKeys", userCaKeys);
    sshdConfig = absolute("sshdConfig", sshdConfig);
    sshdDropIn = absolute("sshdDropIn", sshdDropIn);
    // These three are written into sshd's configuration (the launcher lives in the state directory).
    SshdConfigs.requirePlainPath("stateDir", stateDir);
    SshdConfigs.requirePlainPath("hostCertificate", hostCertificate);
    SshdConfigs.requirePlainPath("userCaKeys", userCaKeys);
    if (!hostPublicKey.getFileName().toString().endsWith(".pub")) {
      throw new IllegalArgumentException("hostPublicKey: " + hostPublicKey + " (expected: a .pub file)");
    }
  }

  /** Debian's locations. */
  public static AgentPaths defaults() {
    return of(DEFAULT_STATE_DIR, DEFAULT_SSHD_CONFIG, DEFAULT_SSHD_CONFIG_DIR, DEFAULT_HOST_PUBLIC_KEY,
        DEFAULT_USER_CA_KEYS);
  }

  /**
   * The usual layout around the given locations: the certificate beside the host key ({@code KEY-cert.pub},
   * where sshd also looks by itself) and the drop-in {@link #DROP_IN_NAME} in {@code sshdConfigDir}.
   */
  public static AgentPaths of(Path stateDir, Path sshdConfig, Path sshdConfigDir, Path hostPublicKey, Path userCaKeys) {
    Objects.requireNonNull(hostPublicKey, "hostPublicKey");
    Objects.requireNonNull(sshdConfigDir, "sshdConfigDir");
    String key = hostPublicKey.getFileName().toString();
    Path certificate = hostPublicKey.resolveSibling(
        (key.endsWith(".pub") ? key.substring(0, key.length() - 4) : key) + "-cert.pub");
    return new AgentPaths(stateDir, hostPublicKey, certificate, userCaKeys, sshdConfig,
        sshdConfigDir.resolve(DROP_IN_NAME));
  }

  /** {@code node.json}: proxy URL, node name and credential, readable by root and the principals user's group. */
  public Path nodeFile() {
    return stateDir.resolve("node.json");
  }

  /** The script sshd runs as {@code AuthorizedPrincipalsCommand} when join generates one. */
  public Path launcher() {
    return stateDir.resolve("portcullis");
  }

  private static Path absolute(String name, Path path) {
    Objects.requireNonNull(path, name);
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException(name + ": " + path + " (expected: an absolute path)");
    }
    return path.normalize();
  }
}
