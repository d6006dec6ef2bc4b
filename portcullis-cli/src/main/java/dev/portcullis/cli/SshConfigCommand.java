package dev.portcullis.cli;

import dev.portcullis.cli.internal.ApiClient;
import dev.portcullis.cli.internal.CliFailure;
import dev.portcullis.cli.internal.CliHome;
import dev.portcullis.cli.internal.Profile;
import dev.portcullis.cli.internal.SshConfigBlock;
import dev.portcullis.cli.internal.SshCredentials;
import dev.portcullis.cli.internal.SshKeys.CertificateInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis ssh-config}: prints an OpenSSH config block that makes stock {@code ssh}, {@code scp},
 * {@code sftp}, Ansible and editors use the Portcullis certificate for the given hosts, and trust those hosts
 * through the host CA alone (refreshed into {@code ~/.portcullis/known_hosts} from the server).
 */
@Command(name = "ssh-config", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Print an OpenSSH config block for the hosts Portcullis manages.",
        "Append it to ~/.ssh/config, or save it and use ssh -F FILE."})
public final class SshConfigCommand extends UserCommand {

  @Option(names = "--hosts", paramLabel = "PATTERNS",
      description = "The hosts it applies to: ssh_config patterns such as '*.example.com 10.0.0.*' (default: every host).")
  String hosts;

  @Option(names = "--proxy-jump", paramLabel = "[USER@]HOST[:PORT]",
      description = "Reach the hosts through this jump host (ssh's ProxyJump); it gets the same identity.")
  String proxyJump;

  /** The real world ({@link CliContext#system()}). */
  public SshConfigCommand() {
    this(null);
  }

  public SshConfigCommand(CliContext context) {
    super(context);
  }

  @Override
  int run() throws IOException {
    String patterns = hosts == null ? null : SshConfigBlock.hostPatterns(hosts);
    String jump = proxyJump == null ? null : SshConfigBlock.jumpHost(proxyJump);
    CliHome home = home();
    Profile profile = requireProfile();
    refreshKnownHosts(home, profile);
    Optional<ApiClient.SshNodes> nodes = nodes(profile);
    if (jump == null && nodes.flatMap(ApiClient.SshNodes::bastion).isPresent()) {
      jump = SshConfigBlock.jumpHost(nodes.get().bastion().get());
    }
    boolean viaBastion = jump != null && proxyJump == null;
    if (patterns == null && viaBastion && !nodes.get().names().isEmpty()) {
      patterns = String.join(" ", nodes.get().names());
    }
    Optional<CertificateInfo> certificate = SshCredentials.readStored(home);
    if (certificate.isEmpty()) {
      err().println("note: there is no certificate yet; run portcullis login --proxy " + profile.proxy());
    } else if (certificate.get().expiredAt(now())) {
      err().println("note: your certificate EXPIRED at " + certificate.get().validBefore() + "; run portcullis"
          + " login --proxy " + profile.proxy() + " (this config stays the same)");
    }
    List<String> header = new ArrayList<>(List.of(
        "Portcullis SSH access for " + profile.user() + " via " + profile.proxy() + " (portcullis ssh-config).",
        "portcullis login renews the certificate in place; the paths below do not change."));
    if (viaBastion) {
      header.add("Every host below is reached through the Portcullis bastion " + jump + ", which records sessions.");
      header.add("Or in one hop, without ProxyJump (your laptop encrypts once): ssh -F THIS_FILE " + SshConfigBlock.oneHop(jump));
    }
    if (patterns == null) {
      patterns = "*";
      header.add("Applies to EVERY host (Host *) because no --hosts was given: all your ssh connections would");
      header.add("use this certificate and trust only the Portcullis host CA. Limit it with --hosts '*.example.com'.");
      err().println("note: no --hosts given, so the block applies to every host; pass --hosts PATTERNS to limit it");
    }
    out().print(SshConfigBlock.render(header, home, patterns, jump));
    return 0;
  }

  /** The user's nodes and the server's bastion; empty (with a note) when the server cannot say. */
  private Optional<ApiClient.SshNodes> nodes(Profile profile) {
    try (ApiClient api = api(profile)) {
      return Optional.of(api.sshNodes(profile.token()));
    } catch (CliFailure e) {
      err().println("note: could not list your nodes (" + e.getMessage() + "); run portcullis login if it expired");
      return Optional.empty();
    }
  }

  /** Rewrites known_hosts from the server's current host CA (it may have rotated); keeps the login's copy offline. */
  private void refreshKnownHosts(CliHome home, Profile profile) throws IOException {
    List<String> lines;
    try (ApiClient api = api(profile)) {
      lines = SshCredentials.knownHostsLines(api.ca().hostCaKnownHosts());
    } catch (CliFailure e) {
      if (!Files.exists(home.knownHosts())) {
        throw e;
      }
      err().println("note: could not refresh the host CA (" + e.getMessage() + "); using the copy from your login");
      return;
    }
    home.prepare();
    home.writeLines(home.knownHosts(), lines);
  }
}
