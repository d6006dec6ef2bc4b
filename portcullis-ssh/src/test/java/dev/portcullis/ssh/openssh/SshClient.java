package dev.portcullis.ssh.openssh;

import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real OpenSSH client, set up the way a Portcullis user's ssh_config would be: one identity and its
 * certificate, no agent, no user config, and a known_hosts file that holds nothing but what the test gives
 * it (normally the host CA's {@code @cert-authority} line), with strict host key checking.
 */
public final class SshClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final TestSshd sshd;
  private final Path knownHosts;

  public SshClient(TestSshd sshd, Path knownHosts) {
    this.sshd = sshd;
    this.knownHosts = knownHosts;
  }

  /** Logs in as the sshd's login and runs {@code remoteCommand} (none: no command, e.g. with {@code -W}). */
  public Command.Result run(KeyFiles key, Path certificate, List<String> options, String... remoteCommand) {
    List<String> command = new ArrayList<>(List.of(RealOpenSsh.SSH.toString(), "-F", "none"));
    // ssh keeps the first value it sees for an option, so the test's own options go before the defaults.
    command.addAll(options);
    command.addAll(List.of(
        "-i", key.privateKey().toString(),
        "-o", "CertificateFile=" + certificate,
        "-o", "IdentitiesOnly=yes",
        "-o", "IdentityAgent=none",
        "-o", "UserKnownHostsFile=" + knownHosts,
        "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "StrictHostKeyChecking=yes",
        "-o", "UpdateHostKeys=no",
        "-o", "HostKeyAlias=" + TestSshd.HOST_NAME,
        "-o", "BatchMode=yes",
        "-o", "ConnectTimeout=10",
        "-p", Integer.toString(sshd.port()),
        sshd.login() + "@127.0.0.1"));
    command.addAll(List.of(remoteCommand));
    return Command.run(command, TIMEOUT);
  }

  /** As {@link #run}, with no extra options. */
  public Command.Result run(KeyFiles key, Path certificate, String... remoteCommand) {
    return run(key, certificate, List.of(), remoteCommand);
  }
}
