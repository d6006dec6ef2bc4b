package dev.portcullis.node.accounts.internal;

import dev.portcullis.node.accounts.HostCommands;
import dev.portcullis.node.accounts.LocalAccount;
import dev.portcullis.node.accounts.LoginNames;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HostCommands} on a Debian-like Linux host, run as root: shadow-utils' useradd and userdel, getent,
 * procps' pkill, systemd's loginctl when systemd runs, and sudo's visudo, each by its absolute path.
 */
public final class LinuxHostCommands implements HostCommands {

  private static final Logger log = LoggerFactory.getLogger(LinuxHostCommands.class);

  static final Path USERADD = Path.of("/usr/sbin/useradd");
  static final Path USERDEL = Path.of("/usr/sbin/userdel");
  static final Path GETENT = Path.of("/usr/bin/getent");
  static final Path PKILL = Path.of("/usr/bin/pkill");
  static final Path LOGINCTL = Path.of("/usr/bin/loginctl");
  /** Exists while systemd is the init system (sd_booted()). */
  private static final Path SYSTEMD_RUNNING = Path.of("/run/systemd/system");
  private static final Path PASSWD = Path.of("/etc/passwd");
  private static final Path GROUP = Path.of("/etc/group");
  private static final Path HOME_BASE = Path.of("/home");

  /** getent: the key was not found. */
  private static final int GETENT_NOT_FOUND = 2;
  /** pkill: no process matched. */
  private static final int PKILL_NONE_MATCHED = 1;
  /** userdel: the user is still running processes (or logged in). */
  private static final int USERDEL_BUSY = 8;
  private static final int DELETE_ATTEMPTS = 3;

  private final CommandRunner runner;
  private final SudoersDropIns sudoers;

  public LinuxHostCommands(Path sudoersDir, CommandRunner runner) {
    this.runner = Objects.requireNonNull(runner, "runner");
    this.sudoers = new SudoersDropIns(Objects.requireNonNull(sudoersDir, "sudoersDir"), runner);
  }

  @Override
  public Set<String> systemNames() throws IOException {
    Set<String> names = new TreeSet<>();
    systemNames(PASSWD, 2, names);
    systemNames(GROUP, 2, names);
    return names;
  }

  /** Adds the names in a passwd-format file whose id (field {@code idField}) is a system one. */
  private static void systemNames(Path file, int idField, Set<String> names) throws IOException {
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] fields = line.split(":", -1);
      if (fields.length <= idField || fields[0].isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        long id = Long.parseLong(fields[idField]);
        if (id < 1000 || id >= 65534) {
          names.add(fields[0]);
        }
      } catch (NumberFormatException e) {
        names.add(fields[0]); // an entry we cannot read is not one we may claim
      }
    }
  }

  @Override
  public Optional<LocalAccount> lookup(String login) throws IOException {
    requireWellFormed(login);
    CommandRunner.Result result = runner.run(Set.of(0, GETENT_NOT_FOUND), GETENT, "passwd", "--", login);
    if (result.exitCode() == GETENT_NOT_FOUND) {
      return Optional.empty();
    }
    String line = result.stdout().strip();
    String[] fields = line.split(":", -1);
    if (fields.length != 7 || !fields[0].equals(login) || line.contains("\n")) {
      throw new IOException("getent passwd " + login + " returned an unexpected entry");
    }
    try {
      return Optional.of(new LocalAccount(fields[0], Long.parseLong(fields[2]), Long.parseLong(fields[3]), fields[4],
          fields[5], fields[6]));
    } catch (IllegalArgumentException e) {
      throw new IOException("getent passwd " + login + " returned an unreadable entry: " + e.getMessage(), e);
    }
  }

  @Override
  public void createAccount(String login, String comment) throws IOException {
    requireWellFormed(login);
    if (LoginNames.isReserved(login)) {
      throw new IllegalArgumentException("login: " + login + " (expected: not a reserved name)");
    }
    if (!comment.matches("[A-Za-z0-9 _.-]{1,64}")) {
      throw new IllegalArgumentException("comment: " + LoginNames.printable(comment)
          + " (expected: 1 to 64 letters, digits, spaces, '_', '.' or '-')");
    }
    // --user-group: a private group named after the login (fails if one exists, rather than joining it).
    // --password '*': no password can match, yet the account is not "locked", so sshd without PAM still
    //   accepts certificate logins. --key HOME_MODE=0700: the home is private whatever login.defs says.
    // "--" ends the options, although a valid login cannot start with '-'.
    runner.run(Set.of(0), USERADD, "--create-home", "--user-group", "--shell", "/bin/bash", "--comment", comment,
        "--password", "*", "--key", "HOME_MODE=0700", "--", login);
  }

  @Override
  public void deleteAccount(LocalAccount account) throws IOException {
    String login = account.login();
    requireWellFormed(login);
    if (account.uid() < 1000) {
      throw new IllegalArgumentException("uid: " + account.uid() + " (expected: >= 1000, not a system account)");
    }
    boolean removeHome = isOwnHome(account);
    if (!removeHome) {
      log.warn("Deleting {} but keeping its home {}: not {}/{}", login, LoginNames.printable(account.home()),
          HOME_BASE, login);
    }
    for (int attempt = 1; ; attempt++) {
      endProcesses(account);
      CommandRunner.Result result = removeHome
          ? runner.run(USERDEL, "--remove", "--", login)
          : runner.run(USERDEL, "--", login);
      if (result.exitCode() == 0) {
        return;
      }
      if (result.exitCode() != USERDEL_BUSY || attempt == DELETE_ATTEMPTS) {
        throw new CommandFailedException(USERDEL.toString(), result.exitCode(), result.stderr());
      }
      // A process started between the kill and userdel's check; kill again.
      pause();
    }
  }

  /**
   * Ends the user's processes before userdel, which refuses a user who still runs any. loginctl (when
   * systemd runs) ends whole sessions, including what the user started through sudo, and the user's
   * systemd instance; pkill then kills whatever else runs with the uid as real or effective id. SIGKILL
   * because the account is going away: nothing of it may linger or respawn.
   */
  private void endProcesses(LocalAccount account) throws IOException {
    String uid = Long.toString(account.uid());
    if (Files.isDirectory(SYSTEMD_RUNNING) && Files.isExecutable(LOGINCTL)) {
      // Fails when the user has no session, which is fine: pkill still runs.
      runner.run(LOGINCTL, "terminate-user", uid);
    }
    runner.run(Set.of(0, PKILL_NONE_MATCHED), PKILL, "-KILL", "-u", uid);
    runner.run(Set.of(0, PKILL_NONE_MATCHED), PKILL, "-KILL", "-U", uid);
  }

  /** userdel --remove deletes the home recursively: only when it is the account's own /home/LOGIN. */
  private static boolean isOwnHome(LocalAccount account) {
    Path home = Path.of(account.home());
    if (!home.isAbsolute() || !home.normalize().equals(HOME_BASE.resolve(account.login()))) {
      return false;
    }
    try {
      return !Files.exists(home, LinkOption.NOFOLLOW_LINKS)
          || (Files.isDirectory(home, LinkOption.NOFOLLOW_LINKS)
              && ((Number) Files.getAttribute(home, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue()
                  == account.uid());
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  @Override
  public Map<String, String> sudoDropIns() throws IOException {
    return sudoers.list();
  }

  @Override
  public void installSudoDropIn(String login, String content) throws IOException {
    requireWellFormed(login);
    sudoers.install(login, content);
  }

  @Override
  public void removeSudoDropIn(String login) throws IOException {
    requireWellFormed(login);
    sudoers.remove(login);
  }

  /** The reconciler validated already; this second check keeps a bad name from any command whoever calls. */
  private static void requireWellFormed(String login) {
    if (!LoginNames.isWellFormed(login)) {
      throw new IllegalArgumentException(LoginNames.problem(login).orElse("login: not well-formed"));
    }
  }

  private static void pause() throws InterruptedIOException {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while deleting an account");
    }
  }
}
