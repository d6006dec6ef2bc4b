package dev.portcullis.cli;

import dev.portcullis.cli.internal.CliFailure;
import dev.portcullis.cli.internal.CliHome;
import dev.portcullis.cli.internal.Profile;
import dev.portcullis.cli.internal.SshAgent;
import dev.portcullis.cli.internal.SshCredentials;
import dev.portcullis.cli.internal.SshKeys.CertificateInfo;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * {@code portcullis status}: who the CLI is signed in as, and whether the certificate is still good, from the
 * local files alone. Exit code 0 when the certificate is valid, 1 when it is missing, expired or not yet valid.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show who you are signed in as and whether your SSH certificate is valid.",
        "Exit code 0 when it is valid, 1 otherwise."})
public final class StatusCommand extends UserCommand {

  /** The real world ({@link CliContext#system()}). */
  public StatusCommand() {
    this(null);
  }

  public StatusCommand(CliContext context) {
    super(context);
  }

  @Override
  int run() {
    CliHome home = home();
    Profile profile = requireProfile();
    Optional<CertificateInfo> certificate = SshCredentials.readStored(home);
    Instant now = now();
    PrintWriter out = out();
    out.println("Proxy:        " + profile.proxy() + (profile.insecure() ? "  (TLS NOT VERIFIED: --insecure)" : ""));
    out.println("User:         " + profile.user() + " (" + profile.provider() + ")");
    out.println("Roles:        " + LoginCommand.list(profile.roles()));
    out.println("Logins:       " + LoginCommand.list(profile.logins()));
    out.println("Session:      " + (now.isBefore(profile.expiresAt()) ? "valid until " : "EXPIRED at ")
        + when(profile.expiresAt()));
    boolean valid = false;
    if (certificate.isEmpty()) {
      out.println("Certificate:  none (run portcullis login)");
    } else {
      CertificateInfo info = certificate.get();
      if (info.expiredAt(now)) {
        out.println("Certificate:  EXPIRED at " + when(info.validBefore()) + " (run portcullis login --proxy "
            + profile.proxy() + ")");
      } else if (now.isBefore(info.validAfter())) {
        out.println("Certificate:  NOT YET VALID, from " + when(info.validAfter()) + " (is this computer's clock right?)");
      } else {
        valid = true;
        out.println("Certificate:  valid until " + when(info.validBefore()));
      }
      out.println("              key ID " + info.keyId() + ", serial " + info.serial() + ", principals "
          + LoginCommand.list(info.principals()));
      out.println("              " + home.certificate());
    }
    SshAgent sshAgent = new SshAgent(context().environment());
    SshAgent.State agent = !sshAgent.present() ? SshAgent.State.NO_AGENT
        : SshCredentials.storedCertificateLine(home).map(sshAgent::state).orElse(SshAgent.State.NOT_LOADED);
    out.println("ssh-agent:    " + agent.description());
    return valid ? 0 : CliFailure.FAILURE;
  }
}
