package dev.portcullis.server.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shell or an exec request on the demo node: a local process in the login's environment, on a real terminal
 * when the client asked for one, its output streamed back and its exit status reported. Closing the channel
 * ends the process and everything it started.
 */
final class LocalCommand implements Command {
  private static final Logger log = LoggerFactory.getLogger(LocalCommand.class);
  private static final Duration KILL_GRACE = Duration.ofSeconds(1);
  private static final int MAX_TERMINAL_SIDE = 10_000;

  private final LoginEnvironment logins;
  private final Optional<PseudoTerminal> terminals;
  private final Optional<String> command;
  private InputStream in;
  private OutputStream out;
  private OutputStream err;
  private ExitCallback exit;
  private volatile Process process;

  /**
   * @param command what an exec request asked to run; empty for a shell
   */
  LocalCommand(LoginEnvironment logins, Optional<PseudoTerminal> terminals, Optional<String> command) {
    this.logins = requireNonNull(logins, "logins");
    this.terminals = requireNonNull(terminals, "terminals");
    this.command = requireNonNull(command, "command");
  }

  @Override
  public void setInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public void setOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void setErrorStream(OutputStream err) {
    this.err = err;
  }

  @Override
  public void setExitCallback(ExitCallback exit) {
    this.exit = exit;
  }

  @Override
  public void start(ChannelSession channel, Environment env) throws IOException {
    String login = channel.getSession().getUsername();
    Path home = logins.home(login);
    boolean wantsTerminal = Boolean.TRUE.equals(channel.getAttribute(DemoChannelSession.TERMINAL));
    Optional<PseudoTerminal> terminal = wantsTerminal ? terminals : Optional.empty();
    String lineEnd = terminal.isPresent() ? "\r\n" : "\n";
    List<String> commandLine = terminal
        .map(t -> t.command(command.orElse("exec " + logins.shell() + " -l"), side(env, Environment.ENV_COLUMNS),
            side(env, Environment.ENV_LINES)))
        .orElseGet(() -> logins.plainCommand(command));
    ProcessBuilder builder = new ProcessBuilder(commandLine).directory(home.toFile());
    builder.environment().clear();
    builder.environment().putAll(logins.variables(login, home,
        terminal.map(t -> env.getEnv().getOrDefault(Environment.ENV_TERM, "xterm"))));
    log.info("{} {} as {} ({})", channel.getSession().getAttribute(CertificateAuthenticator.KEY_ID),
        command.isPresent() ? "runs a command" : "opens a shell", login,
        terminal.isPresent() ? "with a terminal" : "without a terminal");
    process = builder.start();
    if (command.isEmpty()) {
      message(out, logins.notice(login, home) + lineEnd);
    }
    if (wantsTerminal && terminal.isEmpty()) {
      message(err, "demo node: no terminal (it needs util-linux script and stty); running without one" + lineEnd);
    }
    Process running = process;
    terminal.ifPresent(t -> env.addSignalListener((ch, signal) ->
        t.resize(running, side(env, Environment.ENV_COLUMNS), side(env, Environment.ENV_LINES)), Signal.WINCH));
    Thread.ofVirtual().name("demo-node-stdin").start(() -> pump(in, running.getOutputStream(), true));
    Thread stdout = Thread.ofVirtual().name("demo-node-stdout").start(() -> pump(running.getInputStream(), out, false));
    Thread stderr = Thread.ofVirtual().name("demo-node-stderr").start(() -> pump(running.getErrorStream(), err, false));
    Thread.ofVirtual().name("demo-node-exit").start(() -> {
      try {
        int status = running.waitFor();
        stdout.join();
        stderr.join();
        exit.onExit(status);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  @Override
  public void destroy(ChannelSession channel) {
    Process running = process;
    if (running == null || !running.isAlive()) {
      return;
    }
    // Collected first: once script is gone its children are no longer its descendants.
    List<ProcessHandle> tree = running.descendants().toList();
    running.destroy();
    tree.forEach(ProcessHandle::destroy);
    Thread.ofVirtual().name("demo-node-reaper").start(() -> {
      try {
        running.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        Thread.sleep(KILL_GRACE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // An interactive shell ignores SIGTERM; whatever outlived the grace period is killed.
      running.destroyForcibly();
      tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    });
  }

  /** A terminal dimension the client sent (pty-req or window-change); 0 when absent or absurd. */
  private static int side(Environment env, String name) {
    try {
      int value = Integer.parseInt(env.getEnv().getOrDefault(name, "0"));
      return value > 0 && value <= MAX_TERMINAL_SIDE ? value : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void message(OutputStream stream, String text) throws IOException {
    stream.write(text.getBytes(StandardCharsets.UTF_8));
    stream.flush();
  }

  /** Copies until end of input, flushing each chunk: the other side is a person at a terminal. */
  private static void pump(InputStream from, OutputStream to, boolean closeAtEnd) {
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = from.read(buffer)) >= 0; ) {
        to.write(buffer, 0, n);
        to.flush();
      }
    } catch (IOException e) {
      // The process or the channel went away; the exit path reports what matters.
    } finally {
      if (closeAtEnd) {
        try {
          to.close();
        } catch (IOException ignored) {
          // Already closed by the process exiting.
        }
      }
    }
  }
}
