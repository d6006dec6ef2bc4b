package dev.portcullis.node.agent;

import dev.portcullis.node.agent.internal.ApiClient;
import dev.portcullis.node.agent.internal.ApiException;
import dev.portcullis.node.agent.internal.FileChanges;
import dev.portcullis.node.agent.internal.Hosts;
import dev.portcullis.node.agent.internal.Launchers;
import dev.portcullis.node.agent.internal.NodeSettings;
import dev.portcullis.node.agent.internal.PrincipalsUser;
import dev.portcullis.node.agent.internal.ProxyTls;
import dev.portcullis.node.agent.internal.Sshd;
import dev.portcullis.node.agent.internal.SshdConfigs;
import dev.portcullis.node.agent.internal.SshKeyLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * {@code portcullis node join}: enrolls this host with a one-time token and configures its own sshd to trust
 * Portcullis: the user CA ({@code TrustedUserCAKeys}), a host certificate, and the principals command that asks
 * the server, at every login, which logins a certificate may use here.
 *
 * <p>Everything that can be checked locally is checked before the token is spent. The files are then written
 * together, {@code sshd -t} and {@code sshd -T} must accept them, and only then is sshd reloaded; if sshd
 * rejects them, every file is put back as it was.
 */
public final class NodeJoin {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final String NOTHING_CHANGED = " Nothing was changed and the join token was not used.";
  private static final String TOKEN_SPENT = " The join token is used up: ask for a new one"
      + " (portcullis tokens add --type node) to join again.";

  private final AgentPaths paths;
  private final SshdControl control;
  private final Sshd sshd;

  public NodeJoin(AgentPaths paths, SshdControl control) {
    this.paths = Objects.requireNonNull(paths, "paths");
    this.control = Objects.requireNonNull(control, "control");
    this.sshd = new Sshd(control);
  }

  /**
   * Joins and configures sshd.
   *
   * @throws NodeAgentException saying what failed, what the host is left with, and whether the token was spent
   */
  public JoinResult join(JoinOptions options) throws NodeAgentException {
    Preflight pre = preflight(options);

    ApiClient client = new ApiClient(options.proxy(), options.insecure() ? ProxyTls.trustOnFirstUse()
        : ProxyTls.verified(), CONNECT_TIMEOUT);
    ApiClient.JoinResponse response = callJoin(client, options, pre);

    SshKeyLines.HostCertificate certificate;
    List<String> userCaKeys;
    try {
      certificate = SshKeyLines.hostCertificate(response.hostCertificate(), pre.hostKey());
      userCaKeys = SshKeyLines.userCaKeys(response.sshUserCa());
      if (!NodeSettings.isCredential(response.credential())) {
        throw new IllegalArgumentException("credential: missing or not printable");
      }
    } catch (IllegalArgumentException e) {
      throw new NodeAgentException("the server's join answer is unusable (" + e.getMessage() + "); nothing was"
          + " written." + TOKEN_SPENT);
    }
    NodeState state = new NodeState(options.proxy(), pre.name(), response.credential(), options.labels(),
        pre.address(), client.tls().observedPin().filter(pin -> options.insecure()), paths);

    FileChanges changes = new FileChanges();
    SshdConfigs.DropIn dropIn = new SshdConfigs.DropIn(pre.name(), paths.userCaKeys(), paths.hostCertificate(),
        principalsCommand(pre.launcher()), pre.user().name());
    try {
      changes.directory(paths.stateDir(), "rwxr-x---", 0, pre.user().gid());
      if (pre.launcherScript().isPresent()) {
        write(changes, paths.launcher(), pre.launcherScript().get(), "rwxr-xr-x", 0);
      }
      write(changes, paths.nodeFile(), new String(state.toJson(), StandardCharsets.UTF_8), "rw-r-----",
          pre.user().gid());
      write(changes, paths.userCaKeys(), SshKeyLines.userCaFile(userCaKeys), "rw-r--r--", 0);
      write(changes, paths.hostCertificate(), certificate.line() + "\n", "rw-r--r--", 0);
      write(changes, paths.sshdDropIn(), dropIn.render(), "rw-r--r--", 0);
      Optional<String> rejected = sshd.test(paths.sshdConfig());
      if (rejected.isEmpty()) {
        rejected = dropIn.notInForce(sshd.effective(paths.sshdConfig())).map(problem -> "sshd does not use the"
            + " Portcullis settings: " + problem + ". sshd keeps the first value it reads, so a file included"
            + " before " + paths.sshdDropIn() + " (or the main configuration) probably sets them");
      } else {
        rejected = rejected.map(problem -> "sshd -t rejected the new configuration: " + problem);
      }
      if (rejected.isPresent()) {
        throw new NodeAgentException(rejected.get() + ". " + restore(changes) + TOKEN_SPENT);
      }
    } catch (IOException e) {
      throw new NodeAgentException("writing sshd's files failed: " + e.getMessage() + ". " + restore(changes)
          + TOKEN_SPENT, e);
    }

    Optional<String> reloaded;
    try {
      reloaded = sshd.reload();
    } catch (IOException e) {
      throw new NodeAgentException("node " + pre.name() + " joined and sshd's new configuration is written and"
          + " valid, but reloading sshd failed: " + e.getMessage() + ". Reload it yourself (systemctl reload ssh);"
          + " until then sshd does not trust Portcullis certificates.", e);
    }
    return new JoinResult(state, certificate.principals(), certificate.validBefore(), userCaKeys.size(),
        pre.user().name(), changes.written(), reloaded);
  }

  /** What join found and prepared before spending the token. */
  private record Preflight(String name, String address, String hostKey, PrincipalsUser user, Path launcher,
      Optional<String> launcherScript) {}

  private Preflight preflight(JoinOptions options) throws NodeAgentException {
    try {
      if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") != 0) {
        throw new NodeAgentException("node join must run as root: it writes sshd's configuration and host"
            + " certificate." + NOTHING_CHANGED);
      }
      String hostKey = SshKeyLines.readHostKey(paths.hostPublicKey());
      if (!SshdConfigs.includes(paths.sshdConfig(), paths.sshdDropIn())) {
        throw new NodeAgentException(paths.sshdConfig() + " does not include " + paths.sshdDropIn() + ". Add"
            + " `Include " + paths.sshdDropIn().getParent() + "/*.conf` at its top (Debian's default has it), or"
            + " pass --sshd-config-dir with a directory it includes." + NOTHING_CHANGED);
      }
      Map<String, List<String>> current;
      try {
        current = sshd.effective(paths.sshdConfig());
      } catch (IOException e) {
        throw new NodeAgentException("sshd's current configuration is already invalid (" + control.sshd() + " -T -f "
            + paths.sshdConfig() + ": " + e.getMessage() + "); fix it first." + NOTHING_CHANGED);
      }
      String name = options.name().isPresent() ? options.name().get() : defaultName();
      String address = options.address().isPresent() ? options.address().get() : defaultAddress(current);
      PrincipalsUser user = PrincipalsUser.ensure(options.principalsUser());
      Path launcher;
      Optional<String> script;
      if (options.launcher().isPresent()) {
        launcher = options.launcher().get();
        Launchers.requireRootOwned("the launcher", launcher);
        SshdConfigs.requirePlainPath("launcher", launcher);
        script = Optional.empty();
      } else {
        launcher = paths.launcher();
        script = Optional.of(Launchers.scriptForThisJar());
      }
      // Everything but the state directory and launcher already exists; these must be safe once written.
      Path above = paths.stateDir().getParent();
      if (above != null && Files.isDirectory(above)) {
        Launchers.requireRootOwned("the state directory's parent", above);
      }
      return new Preflight(name, address, hostKey, user, launcher, script);
    } catch (IOException | IllegalArgumentException e) {
      throw new NodeAgentException(e.getMessage() + "." + NOTHING_CHANGED, e);
    }
  }

  private ApiClient.JoinResponse callJoin(ApiClient client, JoinOptions options, Preflight pre)
      throws NodeAgentException {
    try {
      return client.join(new ApiClient.JoinRequest(options.token(), pre.name(), options.labels(), pre.address(),
          pre.hostKey()), CALL_TIMEOUT);
    } catch (ApiException e) {
      if (e.status() == 401 || "invalid-token".equals(e.error())) {
        throw new NodeAgentException("the server refused the join token (" + e.getMessage() + "): a join token"
            + " works once, until it expires. Ask for a new one with portcullis tokens add --type node; nothing was"
            + " changed on this host.", e);
      }
      throw new NodeAgentException("the server refused to join node " + pre.name() + " (" + e.getMessage()
          + "); nothing was changed on this host.", e);
    } catch (SSLException e) {
      throw new NodeAgentException("cannot verify the TLS certificate of " + options.proxy() + " (" + e.getMessage()
          + "). If it is the demo's self-signed certificate, pass --insecure to pin its key at join." + NOTHING_CHANGED,
          e);
    } catch (IOException e) {
      throw new NodeAgentException("cannot reach " + options.proxy() + ": " + e.getMessage() + ". Nothing was"
          + " changed on this host; if the server received the request, the token may be used up.", e);
    }
  }

  /**
   * The values sshd fills in go in {@code --option=value} form: a login or key id that starts with '-' or '@'
   * can then never be taken for an option or (by a launcher running the full CLI) for a file of arguments.
   */
  private String principalsCommand(Path launcher) {
    return launcher + " node principals"
        + (paths.stateDir().equals(AgentPaths.DEFAULT_STATE_DIR) ? "" : " --state-dir=" + paths.stateDir())
        + " --login=%u --key-id=%i";
  }

  private static String defaultName() throws IOException {
    String host = Hosts.hostName();
    try {
      return NodeSettings.nodeName(host);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("this host's name '" + NodeSettings.printable(host) + "' is not a valid"
          + " node name; pass --name (expected: 1-63 characters a-z, 0-9, '.', '-')");
    }
  }

  private static String defaultAddress(Map<String, List<String>> sshdSettings) throws IOException {
    String port = sshdSettings.getOrDefault("port", List.of("22")).getFirst();
    String host = Hosts.firstNonLoopbackAddress().orElseThrow(() -> new IOException("this host has no"
        + " non-loopback address; pass --address HOST:PORT"));
    return NodeSettings.address(host + ":" + port);
  }

  private static void write(FileChanges changes, Path path, String content, String mode, int gid)
      throws IOException {
    try {
      changes.write(path, content.getBytes(StandardCharsets.UTF_8), mode, 0, gid);
    } catch (IOException e) {
      throw new IOException(path + ": " + e.getMessage(), e);
    }
  }

  private static String restore(FileChanges changes) {
    try {
      changes.restore();
      return "The previous files were restored and sshd was not reloaded.";
    } catch (IOException e) {
      return "Restoring the previous files FAILED (" + e.getMessage() + "): check sshd's configuration by hand"
          + " before restarting it.";
    }
  }
}
