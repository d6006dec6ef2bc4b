package dev.portcullis.cli.openssh;

import dev.portcullis.ssh.ca.HostCertificateRequest;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import dev.portcullis.testing.openssh.ProcessLog;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A throwaway Debian sshd on a free 127.0.0.1 port: its own host key with a certificate from the given host
 * CA, user certificates trusted only through {@code TrustedUserCAKeys}, logins mapped by an
 * {@code AuthorizedPrincipalsFile}, and no passwords or authorized_keys. Its log (stderr) is kept for assertions.
 */
public final class TestSshd implements AutoCloseable {

  /** The name the host certificate is issued for; clients connect with {@code HostKeyAlias} set to it. */
  public static final String HOST_NAME = "node1.portcullis.test";
  private static final Pattern LISTENING = Pattern.compile("Server listening on 127\\.0\\.0\\.1 port (\\d+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final Process process;
  private final int port;
  private final String login;
  private final Path trustedUserCaKeys;
  private final Path principalsDirectory;
  private final ProcessLog log;

  private TestSshd(Process process, int port, String login, Path trustedUserCaKeys, Path principalsDirectory,
      ProcessLog log) {
    this.process = process;
    this.port = port;
    this.login = login;
    this.trustedUserCaKeys = trustedUserCaKeys;
    this.principalsDirectory = principalsDirectory;
    this.log = log;
  }

  /**
   * Starts sshd for {@code login} (principals file: just the login name), trusting {@code trustedUserCaKeys}.
   * Retries with another port if the one picked was taken in the meantime.
   */
  public static TestSshd start(Path directory, SshCertificateAuthority hostCa, List<String> trustedUserCaKeys,
      String login) throws IOException {
    Files.createDirectories(directory);
    KeyFiles hostKey = KeyFiles.create(directory, "ssh_host_ed25519_key");
    Path hostCertificate = hostKey.writeCertificate(hostCa.issueHost(new HostCertificateRequest(
        hostKey.keyPair().getPublic(), "portcullis test sshd", List.of(HOST_NAME, "127.0.0.1"), Duration.ofHours(1))));
    Path trusted = KeyFiles.writeLines(directory.resolve("trusted_user_ca_keys"), trustedUserCaKeys);
    Path principals = Files.createDirectories(directory.resolve("principals"));
    KeyFiles.writeLines(principals.resolve(login), List.of(login));
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      Path config = KeyFiles.writeLines(directory.resolve("sshd_config"), List.of(
          "ListenAddress 127.0.0.1",
          "Port " + port,
          "HostKey " + hostKey.privateKey(),
          "HostCertificate " + hostCertificate,
          "TrustedUserCAKeys " + trusted,
          "AuthorizedPrincipalsFile " + principals + "/%u",
          "AuthorizedKeysFile none",
          "PubkeyAuthentication yes",
          "PasswordAuthentication no",
          "KbdInteractiveAuthentication no",
          "PermitRootLogin prohibit-password",
          "UsePAM no",
          "StrictModes no",
          "PrintMotd no",
          "PidFile " + directory.resolve("sshd.pid"),
          "LogLevel VERBOSE"));
      Process process = new ProcessBuilder(RealOpenSsh.SSHD.toString(), "-D", "-e", "-f", config.toString())
          .redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
      ProcessLog log = ProcessLog.follow(process, "sshd");
      if (log.await(0, LISTENING.asPredicate(), START_TIMEOUT).isPresent()) {
        return new TestSshd(process, port, login, trusted, principals, log);
      }
      process.destroyForcibly();
      last = new IllegalStateException("sshd did not start on port " + port + ":\n"
          + String.join("\n", log.since(0)));
    }
    throw last;
  }

  public int port() {
    return port;
  }

  public String login() {
    return login;
  }

  /** Replaces the TrustedUserCAKeys file; sshd reads it on every authentication, so no reload is needed. */
  public void trustUserCaKeys(List<String> lines) {
    KeyFiles.writeLines(trustedUserCaKeys, lines);
  }

  /** Replaces the principals file of the login. */
  public void authorizePrincipals(List<String> principals) {
    KeyFiles.writeLines(principalsDirectory.resolve(login), principals);
  }

  /** A position in the log, to look only at what a later connection caused. */
  public int logMark() {
    return log.mark();
  }

  /**
   * Waits until a log line after {@code mark} contains {@code text}. sshd logs before it answers the
   * client, but our reader may lag a little behind.
   */
  public boolean awaitLog(int mark, String text, Duration timeout) {
    return log.await(mark, line -> line.contains(text), timeout).isPresent();
  }

  /** The log lines after {@code mark}, for assertion messages and negative checks. */
  public List<String> logSince(int mark) {
    return log.since(mark);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
