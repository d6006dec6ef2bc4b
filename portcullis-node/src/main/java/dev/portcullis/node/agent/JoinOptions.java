package dev.portcullis.node.agent;

import dev.portcullis.node.agent.internal.NodeSettings;
import dev.portcullis.node.agent.internal.PrincipalsUser;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the admin asks {@code portcullis node join} for.
 *
 * @param proxy          the Portcullis sign-in URL: https (http only to a loopback address)
 * @param token          the one-time join token from {@code portcullis tokens add --type node}
 * @param name           the node name; empty: this host's name
 * @param labels         what roles select this node by
 * @param address        where clients reach this sshd ({@code host:port}); empty: the first non-loopback
 *                       address and the port sshd listens on
 * @param insecure       accept the server's TLS certificate unverified at join, then pin its key for every
 *                       later call (for the demo's self-signed certificate)
 * @param principalsUser the account sshd runs the principals command as; created as a system user if missing
 * @param launcher       a root-owned command that runs {@code portcullis} ({@code LAUNCHER node principals ...});
 *                       empty: join writes one into the state directory for the running Java and jar
 */
public record JoinOptions(URI proxy, String token, Optional<String> name, Map<String, String> labels,
    Optional<String> address, boolean insecure, String principalsUser, Optional<Path> launcher) {

  private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{1,512}");

  public JoinOptions {
    proxy = NodeSettings.proxy(proxy);
    Objects.requireNonNull(token, "token");
    if (!TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException("token: not a join token (expected: the printable token that"
          + " portcullis tokens add --type node printed)");
    }
    name = Objects.requireNonNull(name, "name").map(NodeSettings::nodeName);
    labels = NodeSettings.labels(labels);
    address = Objects.requireNonNull(address, "address").map(NodeSettings::address);
    Objects.requireNonNull(principalsUser, "principalsUser");
    Objects.requireNonNull(launcher, "launcher");
    launcher.ifPresent(path -> {
      if (!path.isAbsolute()) {
        throw new IllegalArgumentException("launcher: " + path + " (expected: an absolute path)");
      }
    });
  }

  /** Defaults for everything but the URL, token and labels. */
  public static JoinOptions of(URI proxy, String token, Map<String, String> labels) {
    return new JoinOptions(proxy, token, Optional.empty(), labels, Optional.empty(), false, PrincipalsUser.DEFAULT,
        Optional.empty());
  }

  public JoinOptions withName(String nodeName) {
    return new JoinOptions(proxy, token, Optional.of(nodeName), labels, address, insecure, principalsUser, launcher);
  }

  public JoinOptions withAddress(String hostPort) {
    return new JoinOptions(proxy, token, name, labels, Optional.of(hostPort), insecure, principalsUser, launcher);
  }

  public JoinOptions withInsecure(boolean trustOnFirstUse) {
    return new JoinOptions(proxy, token, name, labels, address, trustOnFirstUse, principalsUser, launcher);
  }

  public JoinOptions withPrincipalsUser(String user) {
    return new JoinOptions(proxy, token, name, labels, address, insecure, user, launcher);
  }

  public JoinOptions withLauncher(Path command) {
    return new JoinOptions(proxy, token, name, labels, address, insecure, principalsUser, Optional.of(command));
  }

  @Override
  public String toString() {
    return "JoinOptions[proxy=" + proxy + ", token=redacted, name=" + name + ", labels=" + labels + ", address="
        + address + ", insecure=" + insecure + ", principalsUser=" + principalsUser + ", launcher=" + launcher + "]";
  }
}
