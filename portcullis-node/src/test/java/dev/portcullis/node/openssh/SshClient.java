package dev.portcullis.node.openssh;

import dev.portcullis.ssh.openssh.KeyFiles;
import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real OpenSSH client as a Portcullis user runs it: one key and its certificate, no agent, no user config,
 * strict host key checking against a known_hosts file that holds only the host CA's {@code @cert-authority}
 * line, and the node's name as the host name the host certificate must list.
 */
public record SshClient(int port, Path knownHosts, String hostName) {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** Logs in as {@code login} and runs {@code remoteCommand}. */
  public Command.Result run(String login, KeyFiles key, Path certificate, String... remoteCommand) {
    List<String> command = new ArrayList<>(List.of(RealOpenSsh.SSH.toString(), "-F", "none",
        "-i", key.privateKey().toString(),
        "-o", "CertificateFile=" + certificate,
        "-o", "IdentitiesOnly=yes",
        "-o", "IdentityAgent=none",
        "-o", "UserKnownHostsFile=" + knownHosts,
        "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "StrictHostKeyChecking=yes",
        "-o", "UpdateHostKeys=no",
        "-o", "HostKeyAlias=" + hostName,
        "-o", "BatchMode=yes",
        "-o", "ConnectTimeout=10",
        "-p", Integer.toString(port),
        login + "@127.0.0.1"));
    command.addAll(List.of(remoteCommand));
    return Command.run(command, TIMEOUT);
  }
}
