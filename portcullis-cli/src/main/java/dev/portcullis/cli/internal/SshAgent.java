package dev.portcullis.cli.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The user's running ssh-agent ({@code SSH_AUTH_SOCK}), driven through the real {@code ssh-add} so the agent
 * holds exactly what OpenSSH itself would load: the key and the {@code -cert.pub} beside it.
 */
public final class SshAgent {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** Whether the agent holds our certificate. */
  public enum State {
    NO_AGENT("no ssh-agent (SSH_AUTH_SOCK is not set)"),
    UNREACHABLE("ssh-agent not reachable"),
    LOADED("key and certificate loaded"),
    NOT_LOADED("not loaded");

    private final String description;

    State(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  private record Outcome(int exitCode, String output) {}

  private final String socket;

  public SshAgent(Map<String, String> environment) {
    String value = environment.get("SSH_AUTH_SOCK");
    this.socket = value == null || value.isBlank() ? null : value;
  }

  public boolean present() {
    return socket != null;
  }

  /**
   * Adds {@code privateKey} and its certificate, forgotten by the agent after {@code lifetime}.
   *
   * @return why it failed, or empty when it worked
   */
  public Optional<String> add(Path privateKey, Duration lifetime) {
    long seconds = Math.max(1, lifetime.toSeconds());
    Outcome outcome = sshAdd("-t", Long.toString(seconds), privateKey.toString());
    return outcome.exitCode() == 0 ? Optional.empty() : Optional.of("ssh-add failed: " + outcome.output().strip());
  }

  /**
   * Removes {@code privateKey} and its certificate; needs the {@code .pub} beside it.
   *
   * @return why it failed, or empty when it worked or the key was not loaded
   */
  public Optional<String> remove(Path privateKey) {
    Outcome outcome = sshAdd("-d", privateKey.toString());
    if (outcome.exitCode() == 0 || outcome.output().contains("Could not remove identity")) {
      return Optional.empty();
    }
    return Optional.of("ssh-add -d failed: " + outcome.output().strip());
  }

  /** Whether the agent holds the certificate whose {@code type base64} line is {@code certificateLine}. */
  public State state(String certificateLine) {
    if (socket == null) {
      return State.NO_AGENT;
    }
    Outcome listing = sshAdd("-L");
    if (listing.exitCode() == 1) {
      return State.NOT_LOADED; // "The agent has no identities."
    }
    if (listing.exitCode() != 0) {
      return State.UNREACHABLE;
    }
    String wanted = blob(certificateLine);
    return listing.output().lines().anyMatch(line -> blob(line).equals(wanted)) ? State.LOADED : State.NOT_LOADED;
  }

  private static String blob(String line) {
    String[] parts = line.strip().split("\\s+");
    return parts.length >= 2 ? parts[1] : "";
  }

  private Outcome sshAdd(String... arguments) {
    if (socket == null) {
      return new Outcome(2, "SSH_AUTH_SOCK is not set");
    }
    List<String> command = new ArrayList<>(List.of("ssh-add"));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(new File("/dev/null"));
    builder.environment().put("SSH_AUTH_SOCK", socket);
    // The key has no passphrase; never let ssh-add open a dialog.
    builder.environment().put("SSH_ASKPASS_REQUIRE", "never");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return new Outcome(127, "cannot run ssh-add (" + e.getMessage() + "); install the OpenSSH client");
    }
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }, runnable -> Thread.ofVirtual().start(runnable));
    try {
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return new Outcome(124, "ssh-add timed out after " + TIMEOUT.toSeconds() + " s");
      }
      return new Outcome(process.exitValue(), output.join());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Outcome(130, "interrupted");
    }
  }
}
