package dev.portcullis.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testing.RealComponents;
import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real OpenSSH client on this machine, set up as a user's laptop for the demo node: keys and certificates in
 * a directory of its own (0600), a known_hosts file that trusts hosts through {@code @cert-authority} lines only,
 * strict host key checking, and no agent, no ~/.ssh/config and no passwords.
 */
final class DemoSshClient {
  static final Path SFTP = Path.of("/usr/bin/sftp");
  static final Path SCP = Path.of("/usr/bin/scp");
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  final Path dir;
  final int port;
  final Path knownHosts;

  DemoSshClient(Path dir, int port, List<String> knownHostsLines) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.port = port;
    this.knownHosts = writePrivate(dir.resolve("known_hosts"), String.join("\n", knownHostsLines) + "\n");
  }

  /** Skips locally, fails in CI, when the OpenSSH client tools are missing (no sshd or root needed). */
  static void requireOpenSshClient() {
    RealComponents.requireOrSkip(Files.isExecutable(RealOpenSsh.SSH) && Files.isExecutable(RealOpenSsh.SSH_KEYGEN)
        && Files.isExecutable(SFTP) && Files.isExecutable(SCP),
        "Debian's OpenSSH client (/usr/bin/ssh, ssh-keygen, sftp, scp; apt-get install openssh-client)");
  }

  /** A new Ed25519 key pair made by ssh-keygen; returns the private key's path. */
  Path newKey(String name) {
    Path key = dir.resolve(name);
    Command.Result made = Command.run(List.of(RealOpenSsh.SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "",
        "-C", name, "-f", key.toString()), TIMEOUT);
    assertThat(made.succeeded()).as(made::describe).isTrue();
    return key;
  }

  String publicKey(Path key) throws IOException {
    return Files.readString(Path.of(key + ".pub")).strip();
  }

  /** Installs {@code certificateLine} as the key's certificate, where ssh looks for it: {@code KEY-cert.pub}. */
  void certify(Path key, String certificateLine) throws IOException {
    writePrivate(Path.of(key + "-cert.pub"), certificateLine + "\n");
  }

  /** {@code ssh [options] -p PORT LOGIN@127.0.0.1 [remote command]} with the given key (and its certificate). */
  Command.Result ssh(Path key, String login, List<String> options, String... remoteCommand) {
    List<String> command = sshCommand(key, login, options);
    command.addAll(List.of(remoteCommand));
    return Command.run(command, TIMEOUT);
  }

  List<String> sshCommand(Path key, String login, List<String> options) {
    List<String> command = new ArrayList<>(List.of(RealOpenSsh.SSH.toString()));
    command.addAll(commonOptions(key, knownHosts));
    command.addAll(options);
    command.addAll(List.of("-p", Integer.toString(port), login + "@127.0.0.1"));
    return command;
  }

  /** {@code sftp -b BATCH} as {@code login}: runs the batch's commands, stops at the first that fails. */
  Command.Result sftp(Path key, String login, String batch) throws IOException {
    Path file = writePrivate(dir.resolve("sftp-batch"), batch);
    List<String> command = new ArrayList<>(List.of(SFTP.toString()));
    command.addAll(commonOptions(key, knownHosts));
    command.addAll(List.of("-P", Integer.toString(port), "-b", file.toString(), login + "@127.0.0.1"));
    return Command.run(command, TIMEOUT);
  }

  /** {@code scp LOCAL LOGIN@127.0.0.1:REMOTE}; OpenSSH 9 speaks sftp for it. */
  Command.Result scpTo(Path key, String login, Path local, String remote) {
    List<String> command = new ArrayList<>(List.of(SCP.toString()));
    command.addAll(commonOptions(key, knownHosts));
    command.addAll(List.of("-P", Integer.toString(port), local.toString(), login + "@127.0.0.1:" + remote));
    return Command.run(command, TIMEOUT);
  }

  /** The same client with another known_hosts file. */
  DemoSshClient trusting(String name, List<String> knownHostsLines) throws IOException {
    return new DemoSshClient(dir.resolve(name), port, knownHostsLines);
  }

  private static List<String> commonOptions(Path key, Path knownHosts) {
    return new ArrayList<>(List.of("-F", "/dev/null",
        "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "StrictHostKeyChecking=yes", "-o", "CheckHostIP=no",
        "-o", "IdentitiesOnly=yes", "-o", "IdentityFile=" + key, "-o", "IdentityAgent=none",
        "-o", "BatchMode=yes", "-o", "ConnectTimeout=10"));
  }

  static Path writePrivate(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return Files.writeString(file, content);
  }
}
