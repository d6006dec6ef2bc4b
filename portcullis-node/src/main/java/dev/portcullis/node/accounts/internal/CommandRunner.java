package dev.portcullis.node.accounts.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one program by absolute path with an argument array: no shell, so no argument is ever parsed as
 * shell syntax. The child gets an empty stdin, a minimal fixed environment ({@code PATH} and
 * {@code LC_ALL=C}, so messages are stable), {@code /} as working directory, and a time limit.
 */
public final class CommandRunner {

  /** Output kept per stream; the rest is read and dropped, so a chatty child cannot block or flood us. */
  private static final int MAX_OUTPUT = 64 * 1024;
  private static final File DEV_NULL = new File("/dev/null");

  /** What a finished command printed and returned. */
  public record Result(int exitCode, String stdout, String stderr) {}

  private final Duration timeout;

  public CommandRunner(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
    this.timeout = timeout;
  }

  /**
   * Runs {@code program} and fails unless it exits with one of {@code acceptedExitCodes}.
   *
   * @throws CommandFailedException on any other exit code, with the command's stderr in the message
   * @throws IOException            if the program is missing, or ran past the time limit and was killed
   */
  public Result run(Set<Integer> acceptedExitCodes, Path program, String... args) throws IOException {
    Result result = run(program, args);
    if (!acceptedExitCodes.contains(result.exitCode())) {
      throw new CommandFailedException(program.toString(), result.exitCode(), result.stderr());
    }
    return result;
  }

  /** Runs {@code program} and returns whatever it exited with. */
  public Result run(Path program, String... args) throws IOException {
    if (!program.isAbsolute()) {
      throw new IllegalArgumentException("program: " + program + " (expected: an absolute path)");
    }
    if (!Files.isExecutable(program)) {
      throw new IOException(program + " is missing or not executable");
    }
    List<String> command = new ArrayList<>(args.length + 1);
    command.add(program.toString());
    for (String arg : args) {
      command.add(Objects.requireNonNull(arg, "args"));
    }
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(new File("/"))
        .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    builder.environment().put("LC_ALL", "C");
    Process process = builder.start();
    FutureTask<String> stdout = drain(process.getInputStream());
    FutureTask<String> stderr = drain(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        throw new IOException(program + " ran longer than " + timeout + " and was killed");
      }
      return new Result(process.exitValue(), output(stdout), output(stderr));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while " + program + " ran");
    }
  }

  private static FutureTask<String> drain(InputStream stream) {
    FutureTask<String> task = new FutureTask<>(() -> {
      try (stream) {
        byte[] kept = stream.readNBytes(MAX_OUTPUT);
        stream.transferTo(OutputStream.nullOutputStream());
        return new String(kept, StandardCharsets.UTF_8);
      }
    });
    Thread.ofVirtual().name("command-output").start(task);
    return task;
  }

  private static String output(Future<String> stream) throws IOException, InterruptedException {
    try {
      // The process has exited; its pipes close unless it left a child holding them, hence a bound.
      return stream.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException("reading command output", e.getCause());
    } catch (TimeoutException e) {
      stream.cancel(true);
      return "";
    }
  }
}
