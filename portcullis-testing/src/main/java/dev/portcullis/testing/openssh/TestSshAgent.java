package dev.portcullis.testing.openssh;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real ssh-agent on its own socket ({@code ssh-agent -a SOCK -D}), stopped and removed on close. */
public final class TestSshAgent implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final Process process;
  private final Path directory;
  private final Path socket;

  private TestSshAgent(Process process, Path directory, Path socket) {
    this.process = process;
    this.directory = directory;
    this.socket = socket;
  }

  public static TestSshAgent start() throws IOException, InterruptedException {
    // Unix socket paths are short (108 bytes): keep it under /tmp, not under the build directory.
    Path directory = Files.createTempDirectory(Path.of("/tmp"), "pc-agent");
    Path socket = directory.resolve("agent.sock");
    Process process = new ProcessBuilder(RealOpenSsh.SSH_AGENT.toString(), "-a", socket.toString(), "-D")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(new File("/dev/null")).start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!Files.exists(socket)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("ssh-agent did not create " + socket);
      }
      Thread.sleep(20);
    }
    return new TestSshAgent(process, directory, socket);
  }

  public Path socket() {
    return socket;
  }

  /** {@code ssh-add -L} against this agent: the public keys and certificates it holds, one per line. */
  public List<String> identities() {
    Command.Result result = Command.run(List.of("ssh-add", "-L"), Map.of("SSH_AUTH_SOCK", socket.toString()),
        Duration.ofSeconds(10));
    if (result.exitCode() == 1) {
      return List.of(); // "The agent has no identities."
    }
    if (!result.succeeded()) {
      throw new IllegalStateException(result.describe());
    }
    return result.stdout().lines().toList();
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(socket);
    Files.deleteIfExists(directory);
  }
}
