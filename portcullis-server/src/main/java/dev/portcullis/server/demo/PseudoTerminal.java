package dev.portcullis.server.demo;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real pseudo-terminals for the demo node without native code: util-linux {@code script} (Essential on Debian)
 * opens one and runs the command on it, so the kernel's line discipline gives echo, Ctrl-C as SIGINT, job control
 * and terminal modes exactly as under sshd, where an emulation over pipes would only approximate them. Window
 * sizes are set on the terminal with {@code stty -F}, which also signals SIGWINCH to the foreground job.
 */
final class PseudoTerminal {
  private static final Logger log = LoggerFactory.getLogger(PseudoTerminal.class);
  private static final long STTY_TIMEOUT_SECONDS = 5;

  private final Path script;
  private final Path stty;

  private PseudoTerminal(Path script, Path stty) {
    this.script = script;
    this.stty = stty;
  }

  /** util-linux {@code script} and {@code stty} from {@code path}; empty where they are missing (macOS, BSD). */
  static Optional<PseudoTerminal> find(String path) {
    Optional<Path> script = onPath(path, "script").filter(PseudoTerminal::isUtilLinux);
    Optional<Path> stty = onPath(path, "stty");
    if (script.isEmpty() || stty.isEmpty() || !Files.isDirectory(Path.of("/proc/self/fd"))) {
      return Optional.empty();
    }
    return Optional.of(new PseudoTerminal(script.get(), stty.get()));
  }

  /**
   * The command line that runs {@code shellCommand} with {@code $SHELL -c} on a new terminal of the given size
   * (0 leaves the size unset). {@code script} returns the command's exit status ({@code -e}), passes output on at
   * once ({@code -f}), and keeps no typescript.
   */
  List<String> command(String shellCommand, int columns, int rows) {
    String sized = columns > 0 && rows > 0
        ? "stty rows " + rows + " cols " + columns + " 2>/dev/null; " + shellCommand
        : shellCommand;
    return List.of(script.toString(), "-q", "-f", "-e", "-c", sized, "/dev/null");
  }

  /** Sets the size of the terminal that {@code script} runs its command on; does nothing once that has ended. */
  void resize(Process scriptProcess, int columns, int rows) {
    if (columns <= 0 || rows <= 0) {
      return;
    }
    Optional<Path> terminal = scriptProcess.children().findFirst().flatMap(PseudoTerminal::terminalOf);
    if (terminal.isEmpty()) {
      return;
    }
    try {
      Process resize = new ProcessBuilder(stty.toString(), "-F", terminal.get().toString(), "rows",
          Integer.toString(rows), "cols", Integer.toString(columns))
          .redirectInput(new File("/dev/null")).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectErrorStream(true).start();
      if (!resize.waitFor(STTY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        resize.destroyForcibly();
      }
    } catch (IOException e) {
      log.warn("demo node: could not resize {}: {}", terminal.get(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The terminal a process reads from: its standard input, a {@code /dev/pts/N} under script. */
  private static Optional<Path> terminalOf(ProcessHandle process) {
    try {
      Path input = Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "fd", "0"));
      return input.startsWith("/dev/pts/") ? Optional.of(input) : Optional.empty();
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  private static Optional<Path> onPath(String path, String name) {
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** BSD script takes different arguments; only util-linux's is used. */
  private static boolean isUtilLinux(Path script) {
    try {
      Process version = new ProcessBuilder(script.toString(), "--version").redirectErrorStream(true)
          .redirectInput(new File("/dev/null")).start();
      byte[] out = version.getInputStream().readNBytes(4096);
      boolean finished = version.waitFor(STTY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!finished) {
        version.destroyForcibly();
      }
      return finished && new String(out, StandardCharsets.UTF_8).contains("util-linux");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
