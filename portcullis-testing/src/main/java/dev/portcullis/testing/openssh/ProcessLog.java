package dev.portcullis.testing.openssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The output lines of a fixture process, read as they come, that tests can wait on and search. */
public final class ProcessLog {

  private final Process process;
  private final List<String> lines = new ArrayList<>();
  /** Set when the output ended; guarded by {@code lines}. */
  private boolean done;

  private ProcessLog(Process process) {
    this.process = process;
  }

  /** Starts reading {@code process}'s stdout (merge stderr into it when starting the process). */
  public static ProcessLog follow(Process process, String name) {
    ProcessLog log = new ProcessLog(process);
    Thread.ofVirtual().name(name + "-log").start(log::pump);
    return log;
  }

  public int mark() {
    synchronized (lines) {
      return lines.size();
    }
  }

  public List<String> since(int mark) {
    synchronized (lines) {
      return List.copyOf(lines.subList(Math.min(mark, lines.size()), lines.size()));
    }
  }

  /** The first line after {@code mark} that matches, waiting up to {@code timeout}; empty if none came or the process ended. */
  public Optional<String> await(int mark, Predicate<String> matching, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      int next = Math.min(mark, lines.size());
      while (true) {
        for (; next < lines.size(); next++) {
          if (matching.test(lines.get(next))) {
            return Optional.of(lines.get(next));
          }
        }
        long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (leftMillis <= 0 || done) {
          return Optional.empty();
        }
        try {
          lines.wait(Math.min(leftMillis, 50));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Optional.empty();
        }
      }
    }
  }

  private void pump() {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // The stream closes with the process.
    } finally {
      synchronized (lines) {
        done = true;
        lines.notifyAll();
      }
    }
  }
}
