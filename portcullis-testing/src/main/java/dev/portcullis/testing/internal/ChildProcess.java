package dev.portcullis.testing.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fixture process: output captured (the last lines kept for failure messages), stopped on close
 * and, should a test forget, when the JVM exits.
 */
public final class ChildProcess implements AutoCloseable {

  private static final int TAIL_LINES = 200;
  private static final String EOF = new String("<eof>");

  private final String name;
  private final Process process;
  private final Deque<String> tail = new ArrayDeque<>();
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Thread shutdownHook;

  private ChildProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.shutdownHook = new Thread(process::destroyForcibly, name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    Thread.ofVirtual().name(name + "-output").start(this::pump);
  }

  public static ChildProcess start(String name, ProcessBuilder builder) {
    builder.redirectErrorStream(true);
    try {
      return new ChildProcess(name, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + builder.command().getFirst(), e);
    }
  }

  /** Waits for an output line matching {@code pattern}; empty if the process ended or time ran out first. */
  public Optional<Matcher> awaitLine(Pattern pattern, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        String line = lines.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
        if (line == null || line == EOF) {
          return Optional.empty();
        }
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return Optional.of(m);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** The last lines the process printed, for failure messages. */
  public String output() {
    synchronized (tail) {
      return String.join("\n", tail);
    }
  }

  /** A failure naming the process and ending with its recent output. */
  public IllegalStateException failure(String what) {
    return new IllegalStateException(name + " (pid " + process.pid() + "): " + what
        + (process.isAlive() ? "" : "; it exited with " + process.exitValue())
        + "\n--- last output ---\n" + output());
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
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook runs anyway.
    }
  }

  private void pump() {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
        lines.add(line);
      }
    } catch (IOException e) {
      // The stream closes when the process is destroyed; nothing more to read.
    } finally {
      lines.add(EOF);
    }
  }
}
