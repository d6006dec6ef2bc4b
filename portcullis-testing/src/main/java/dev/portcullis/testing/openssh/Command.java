package dev.portcullis.testing.openssh;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs an OpenSSH command line to completion and keeps what it printed. */
public final class Command {

  /** What a finished command left behind. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
      return exitCode == 0;
    }

    /** For assertion messages: the command and everything it printed. */
    public String describe() {
      return String.join(" ", command) + "\n  exit " + exitCode + "\n  stdout: " + stdout.strip()
          + "\n  stderr: " + stderr.strip();
    }
  }

  private Command() {}

  public static Result run(List<String> command, Duration timeout) {
    return run(command, Map.of(), timeout);
  }

  /** Runs with stdin from /dev/null, {@code environment} added, and SSH_AUTH_SOCK removed so no agent joins in. */
  public static Result run(List<String> command, Map<String, String> environment, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectInput(new File("/dev/null"));
    builder.environment().remove("SSH_AUTH_SOCK");
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command.getFirst(), e);
    }
    CompletableFuture<String> stdout = drain(process.getInputStream());
    CompletableFuture<String> stderr = drain(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException("timed out after " + timeout + ": " + String.join(" ", command)
            + "\n  stderr: " + stderr.getNow(""));
      }
      return new Result(List.copyOf(command), process.exitValue(), stdout.join(), stderr.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try (stream) {
        result.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        result.complete("<unreadable: " + e.getMessage() + ">");
      }
    });
    return result;
  }
}
