package dev.portcullis.server.cli;

import dev.portcullis.config.PortcullisConfig;
import dev.portcullis.server.SshWiring;
import dev.portcullis.ssh.ca.CaKey;
import dev.portcullis.ssh.ca.SshCaType;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portcullis ca export|rotate|retire}: the SSH certificate authorities' public keys and their rotation. */
@Command(name = "ca", mixinStandardHelpOptions = true, description = "SSH certificate authorities.",
    subcommands = {CaCommand.Export.class, CaCommand.Rotate.class, CaCommand.Retire.class})
final class CaCommand {

  /** The {@code --type} option shared by the subcommands. */
  static final class TypeOption {
    @Option(names = "--type", required = true, description = "ssh-user or ssh-host.")
    String type;

    SshCaType parse() {
      for (SshCaType candidate : SshCaType.values()) {
        if (candidate.id().equals(type)) {
          return candidate;
        }
      }
      throw new CliException("--type: '" + type + "' (expected: ssh-user or ssh-host)");
    }
  }

  static SshCertificateAuthority open(AdminStorage storage, SshCaType type) {
    PortcullisConfig config = storage.load();
    try {
      return SshCertificateAuthority.open(type, SshWiring.caDirectory(config), Clock.systemUTC(), new SecureRandom());
    } catch (IOException e) {
      throw new CliException("cannot open the " + type.id() + " CA in " + SshWiring.caDirectory(config) + ": " + e.getMessage(), 1);
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Print the CA's public keys: TrustedUserCAKeys lines (ssh-user) or @cert-authority lines (ssh-host).")
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminStorage storage;
    @Mixin TypeOption type;

    @Override
    public Integer call() {
      SshCaType which = type.parse();
      SshCertificateAuthority ca = open(storage, which);
      PrintWriter out = spec.commandLine().getOut();
      (which == SshCaType.USER ? ca.trustedPublicKeys() : ca.knownHostsLines("*")).forEach(out::println);
      out.flush();
      return 0;
    }
  }

  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = "Add a new signing key; the old keys stay trusted until retired. Restart the server to sign with it.")
  static final class Rotate implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminStorage storage;
    @Mixin TypeOption type;

    @Override
    public Integer call() throws IOException {
      CaKey key = open(storage, type.parse()).rotate();
      spec.commandLine().getOut().printf("new %s signing key %s; the previous keys stay trusted until `ca retire`%n",
          type.type, key.fingerprint());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "retire", mixinStandardHelpOptions = true, description = "Stop trusting an old CA key.")
  static final class Retire implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminStorage storage;
    @Mixin TypeOption type;

    @Option(names = "--fingerprint", required = true, description = "The SHA256:... fingerprint of the key to retire.")
    String fingerprint;

    @Override
    public Integer call() throws IOException {
      try {
        open(storage, type.parse()).retire(fingerprint);
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new CliException("--fingerprint: " + e.getMessage());
      }
      spec.commandLine().getOut().printf("retired %s%n", fingerprint);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
