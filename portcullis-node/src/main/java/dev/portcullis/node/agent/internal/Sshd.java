package dev.portcullis.node.agent.internal;

import dev.portcullis.node.accounts.internal.CommandRunner;
import dev.portcullis.node.agent.SshdControl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs the host's sshd to check a configuration ({@code -t}, {@code -T}) and reloads the running daemon. */
public final class Sshd {

  private static final Path SYSTEMCTL = Path.of("/usr/bin/systemctl");
  private static final Path KILL = Path.of("/usr/bin/kill");
  private static final Path KILL_FALLBACK = Path.of("/bin/kill");

  private final SshdControl control;
  private final CommandRunner runner = new CommandRunner(Duration.ofSeconds(30));

  public Sshd(SshdControl control) {
    this.control = control;
  }

  /** {@code sshd -t -f config}: the configuration's problems as sshd reports them; empty when it is valid. */
  public Optional<String> test(Path config) throws IOException {
    CommandRunner.Result result = runner.run(control.sshd(), "-t", "-f", config.toString());
    return result.exitCode() == 0 ? Optional.empty() : Optional.of(describe(result));
  }

  /**
   * {@code sshd -T -f config}: the settings sshd would use, keyword (lowercase) to values.
   *
   * @throws IOException if sshd rejects the configuration
   */
  public Map<String, List<String>> effective(Path config) throws IOException {
    CommandRunner.Result result = runner.run(control.sshd(), "-T", "-f", config.toString());
    if (result.exitCode() != 0) {
      throw new IOException(describe(result));
    }
    return SshdConfigs.parseEffective(result.stdout());
  }

  /**
   * Makes the running sshd re-read its configuration.
   *
   * @return what was done, for the admin; empty with {@link SshdControl.Reload.None}
   * @throws IOException if the reload failed (sshd keeps running with its previous configuration)
   */
  public Optional<String> reload() throws IOException {
    return switch (control.reload()) {
      case SshdControl.Reload.None none -> Optional.empty();
      case SshdControl.Reload.Systemd systemd -> {
        runChecked(SYSTEMCTL, "reload", systemd.unit());
        yield Optional.of("systemctl reload " + systemd.unit());
      }
      case SshdControl.Reload.PidFile pidFile -> {
        long pid = sshdPid(pidFile.pidFile());
        runChecked(Files.isExecutable(KILL) ? KILL : KILL_FALLBACK, "-HUP", Long.toString(pid));
        yield Optional.of("SIGHUP to sshd (pid " + pid + ")");
      }
      case SshdControl.Reload.Command command -> {
        List<String> argv = command.argv();
        runChecked(Path.of(argv.getFirst()), argv.subList(1, argv.size()).toArray(String[]::new));
        yield Optional.of(String.join(" ", argv));
      }
    };
  }

  /** The pid in {@code pidFile}, if it names a running sshd: a stale file must not get another process signalled. */
  private static long sshdPid(Path pidFile) throws IOException {
    String text;
    try {
      text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new IOException("cannot read sshd's pid file " + pidFile + " (is sshd running?): " + e.getMessage(), e);
    }
    if (!text.matches("[1-9][0-9]{0,9}")) {
      throw new IOException("sshd's pid file " + pidFile + " holds no pid");
    }
    long pid = Long.parseLong(text);
    Optional<String> command = ProcessHandle.of(pid).filter(ProcessHandle::isAlive).flatMap(p -> p.info().command());
    if (command.isEmpty() || !Path.of(command.get()).getFileName().toString().equals("sshd")) {
      throw new IOException("sshd's pid file " + pidFile + " names pid " + pid + ", which is not a running sshd");
    }
    return pid;
  }

  private void runChecked(Path program, String... args) throws IOException {
    CommandRunner.Result result = runner.run(program, args);
    if (result.exitCode() != 0) {
      throw new IOException(program + " " + String.join(" ", args) + ": " + describe(result));
    }
  }

  private static String describe(CommandRunner.Result result) {
    String output = (result.stderr() + "\n" + result.stdout()).strip();
    return "exit " + result.exitCode() + (output.isEmpty() ? "" : ": " + output);
  }
}
