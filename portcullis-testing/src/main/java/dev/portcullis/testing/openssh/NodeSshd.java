package dev.portcullis.testing.openssh;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway Debian sshd on a free 127.0.0.1 port, set up like a stock Debian server that a node joins: its
 * main configuration includes a drop-in directory first ({@code Include DIR/*.conf}), and everything about
 * certificates (CA keys, host certificate, principals command) comes from what {@code node join} writes there.
 * It runs in the foreground with a pid file, so the agent reloads it with SIGHUP as it would a real one.
 */
public final class NodeSshd implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final Process process;
  private final int port;
  private final Path pidFile;
  private final ProcessLog log;

  private NodeSshd(Process process, int port, Path pidFile, ProcessLog log) {
    this.process = process;
    this.port = port;
    this.pidFile = pidFile;
    this.log = log;
  }

  /**
   * Writes {@code config} (the main configuration) and starts sshd with it.
   *
   * @param hostKey     the host's private key file, such as one from {@link #hostKey(Path)}
   * @param dropInDir   the directory the main configuration includes
   * @param extraLines  lines after the Include and the defaults, such as a Match block
   */
  public static NodeSshd start(Path config, Path hostKey, Path dropInDir, List<String> extraLines)
      throws IOException {
    return start(config, hostKey, dropInDir, List.of(), extraLines);
  }

  /**
   * As {@link #start(Path, Path, Path, List)}, with {@code settings} right after the Include: sshd keeps the first
   * value it reads, so they override this fixture's defaults (but not what the drop-ins set).
   */
  public static NodeSshd start(Path config, Path hostKey, Path dropInDir, List<String> settings,
      List<String> extraLines) throws IOException {
    Files.createDirectories(dropInDir);
    Path pidFile = config.resolveSibling("sshd.pid");
    List<String> head = new ArrayList<>();
    head.add("Include " + dropInDir + "/*.conf");
    head.addAll(settings);
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      writeConfig(config, hostKey, port, head, extraLines);
      Process process = new ProcessBuilder(RealOpenSsh.SSHD.toString(), "-D", "-e", "-f", config.toString())
          .redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
      ProcessLog log = ProcessLog.follow(process, "sshd");
      NodeSshd sshd = new NodeSshd(process, port, pidFile, log);
      if (sshd.awaitListening(0)) {
        return sshd;
      }
      process.destroyForcibly();
      last = new IllegalStateException("sshd did not start on port " + port + ":\n" + String.join("\n", log.since(0)));
    }
    throw last;
  }

  /**
   * Writes a main configuration as a Debian server has it in spirit: {@code head} (normally the Include of the
   * drop-ins), the settings of a test server, then {@code tail}.
   */
  public static void writeConfig(Path config, Path hostKey, int port, List<String> head, List<String> tail) {
    List<String> lines = new ArrayList<>(head);
    lines.addAll(List.of(
        "ListenAddress 127.0.0.1",
        "Port " + port,
        "HostKey " + hostKey,
        "AuthorizedKeysFile none",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin no",
        "UsePAM no",
        "PrintMotd no",
        // As Debian's stock sshd_config has it: modern scp and sftp need it.
        "Subsystem sftp /usr/lib/openssh/sftp-server",
        "PidFile " + config.resolveSibling("sshd.pid"),
        "LogLevel VERBOSE"));
    lines.addAll(tail);
    writeLines(config, lines);
  }

  /**
   * Makes a new Ed25519 host key with the real {@code ssh-keygen}: {@code privateKey} (0600) and
   * {@code privateKey.pub}. Returns {@code privateKey}.
   */
  public static Path hostKey(Path privateKey) throws IOException {
    Files.createDirectories(privateKey.getParent());
    Files.deleteIfExists(privateKey);
    Files.deleteIfExists(privateKey.resolveSibling(privateKey.getFileName() + ".pub"));
    Command.Result result = Command.run(List.of(RealOpenSsh.SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "",
        "-C", "portcullis test host", "-f", privateKey.toString()), Duration.ofSeconds(30));
    if (!result.succeeded()) {
      throw new IOException("ssh-keygen failed: " + result.describe());
    }
    return privateKey;
  }

  /** Replaces {@code path} atomically with {@code lines}: sshd may read the file at any moment. */
  public static Path writeLines(Path path, List<String> lines) {
    try {
      Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
      Files.writeString(tmp, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
      return Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public Path pidFile() {
    return pidFile;
  }

  /** Waits until sshd (re)started listening after {@code mark}: after a SIGHUP it re-executes itself. */
  public boolean awaitListening(int mark) {
    return log.await(mark, line -> line.contains("Server listening on 127.0.0.1 port " + port), START_TIMEOUT)
        .isPresent();
  }

  public int logMark() {
    return log.mark();
  }

  public boolean awaitLog(int mark, String text, Duration timeout) {
    return log.await(mark, line -> line.contains(text), timeout).isPresent();
  }

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
