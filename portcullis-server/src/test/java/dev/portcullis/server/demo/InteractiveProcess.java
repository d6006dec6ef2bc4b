package dev.portcullis.server.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A client process driven like a person at a keyboard: type, wait until the screen shows something, type again.
 * Output (stdout and stderr together) is collected as it arrives; every wait has a deadline and its failure shows
 * everything printed so far.
 */
final class InteractiveProcess implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<String> command;
  private final Process process;
  private final OutputStream stdin;
  private final StringBuffer output = new StringBuffer();

  private InteractiveProcess(List<String> command, Process process) {
    this.command = List.copyOf(command);
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread.ofVirtual().start(() -> collect(process.getInputStream()));
  }

  static InteractiveProcess start(List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("SSH_AUTH_SOCK");
    return new InteractiveProcess(command, builder.start());
  }

  Process process() {
    return process;
  }

  /** Types {@code text} (a line needs its own newline). */
  void type(String text) {
    try {
      stdin.write(text.getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("could not type into " + describe(), e);
    }
  }

  /** Waits until the output shows {@code text}, after the first {@code from} characters. */
  int await(String text, int from) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      int at = output.indexOf(text, from);
      if (at >= 0) {
        return at + text.length();
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("did not see \"" + text + "\" within " + WAIT + "\n" + describe());
  }

  int await(String text) {
    return await(text, 0);
  }

  /** Waits for the exit and returns its status. */
  int exitCode() throws InterruptedException {
    if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("did not exit within " + WAIT + "\n" + describe());
    }
    return process.exitValue();
  }

  String output() {
    return output.toString();
  }

  String describe() {
    return String.join(" ", command) + "\n  output so far: " + output.toString().replace("\r", "\\r");
  }

  private void collect(InputStream in) {
    byte[] buffer = new byte[4096];
    try (in) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      output.append("<unreadable: ").append(e.getMessage()).append('>');
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
