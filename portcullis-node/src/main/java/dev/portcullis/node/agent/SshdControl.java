package dev.portcullis.node.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the agent checks and reloads the host's sshd: the sshd binary (for {@code sshd -t} and {@code sshd -T})
 * and the way to make the running daemon re-read its configuration. {@link #detect()} picks the host's own.
 *
 * @param sshd   the sshd binary; default {@code /usr/sbin/sshd}
 * @param reload how to reload the running sshd after its configuration changed
 */
public record SshdControl(Path sshd, Reload reload) {

  public static final Path DEFAULT_SSHD = Path.of("/usr/sbin/sshd");
  /** Exists while systemd is the init system (sd_booted()). */
  private static final Path SYSTEMD_RUNNING = Path.of("/run/systemd/system");
  private static final Path DEFAULT_PID_FILE = Path.of("/run/sshd.pid");

  public SshdControl {
    Objects.requireNonNull(sshd, "sshd");
    Objects.requireNonNull(reload, "reload");
    if (!sshd.isAbsolute()) {
      throw new IllegalArgumentException("sshd: " + sshd + " (expected: an absolute path)");
    }
  }

  /** Debian's sshd, reloaded through systemd ({@code ssh.service}) when systemd runs, else by its pid file. */
  public static SshdControl detect() {
    return new SshdControl(DEFAULT_SSHD, Files.isDirectory(SYSTEMD_RUNNING)
        ? new Reload.Systemd("ssh.service")
        : new Reload.PidFile(DEFAULT_PID_FILE));
  }

  /** The same sshd, reloaded another way. */
  public SshdControl withReload(Reload other) {
    return new SshdControl(sshd, other);
  }

  /** How to make the running sshd re-read its configuration; it is only asked after {@code sshd -t} passed. */
  public sealed interface Reload {

    /** {@code systemctl reload UNIT}. */
    record Systemd(String unit) implements Reload {
      private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9@._-]{1,64}\\.service");

      public Systemd {
        Objects.requireNonNull(unit, "unit");
        if (!UNIT.matcher(unit).matches()) {
          throw new IllegalArgumentException("unit: " + unit
              + " (expected: a systemd service name such as ssh.service)");
        }
      }
    }

    /** SIGHUP to the sshd whose pid is in {@code pidFile} (sshd's {@code PidFile}, {@code /run/sshd.pid}). */
    record PidFile(Path pidFile) implements Reload {
      public PidFile {
        Objects.requireNonNull(pidFile, "pidFile");
        if (!pidFile.isAbsolute()) {
          throw new IllegalArgumentException("pidFile: " + pidFile + " (expected: an absolute path)");
        }
      }
    }

    /** Any command, run without a shell: its first element is an absolute path. */
    record Command(List<String> argv) implements Reload {
      public Command {
        argv = List.copyOf(Objects.requireNonNull(argv, "argv"));
        if (argv.isEmpty() || !Path.of(argv.getFirst()).isAbsolute()) {
          throw new IllegalArgumentException("argv: " + argv + " (expected: an absolute program path first)");
        }
      }
    }

    /** Leaves sshd alone ({@code --no-reload}): the new files take effect when it is next restarted. */
    record None() implements Reload {}
  }
}
