package dev.portcullis.cli;

import dev.portcullis.cli.internal.CliFailure;
import dev.portcullis.cli.internal.CliHome;
import dev.portcullis.cli.internal.Profile;
import dev.portcullis.cli.internal.SshConfigBlock;
import dev.portcullis.cli.internal.SshCredentials;
import dev.portcullis.cli.internal.SshKeys.CertificateInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code portcullis ssh [ssh options] LOGIN@HOST [command]}: runs the real {@code ssh} with the Portcullis key,
 * certificate and host CA as {@code -o} options ahead of the user's arguments, which pass through unchanged.
 * Its exit code is ssh's.
 */
@Command(name = "ssh",
    description = {"Run ssh with your Portcullis certificate: portcullis ssh [ssh options] LOGIN@HOST [command].",
        "Every argument goes to ssh unchanged; the host must present a certificate from the Portcullis host CA."})
public final class SshCommand extends UserCommand {

  /** Everything after {@code ssh}, in order: picocli leaves unknown options and arguments here. */
  @Unmatched
  List<String> arguments = new ArrayList<>();

  /** The real world ({@link CliContext#system()}). */
  public SshCommand() {
    this(null);
  }

  public SshCommand(CliContext context) {
    super(context);
  }

  @Override
  int run() throws IOException {
    if (arguments.isEmpty()) {
      throw CliFailure.usage("expected: portcullis ssh [ssh options] LOGIN@HOST [command]");
    }
    CliHome home = home();
    Profile profile = requireProfile();
    CertificateInfo certificate = SshCredentials.readStored(home).orElseThrow(() -> CliFailure.failure(
        "no SSH certificate: run portcullis login --proxy " + profile.proxy()));
    if (certificate.expiredAt(now())) {
      throw CliFailure.failure("your SSH certificate EXPIRED at " + certificate.validBefore() + ": run portcullis"
          + " login --proxy " + profile.proxy());
    }
    List<String> command = new ArrayList<>();
    command.add("ssh");
    command.addAll(SshConfigBlock.options(home));
    command.addAll(arguments);
    try {
      return context().processes().run(command);
    } catch (IOException e) {
      throw CliFailure.failure("cannot run ssh (" + e.getMessage() + "); install the OpenSSH client");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliFailure.failure("interrupted while ssh was running");
    }
  }
}
