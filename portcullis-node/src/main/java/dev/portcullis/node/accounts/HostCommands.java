package dev.portcullis.node.accounts;

import dev.portcullis.node.accounts.internal.CommandRunner;
import dev.portcullis.node.accounts.internal.LinuxHostCommands;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link AccountReconciler} may do to the host, and nothing more. {@link #linux()} runs the real
 * commands (useradd, userdel, visudo, ...) by absolute path without a shell and needs root; tests of the
 * reconciler's decisions use an in-memory implementation. Implementations receive only logins that passed
 * {@link LoginNames#problem(String)}, and the Linux one checks again before running anything.
 */
public interface HostCommands {

  /** Where {@link #linux()} keeps sudo drop-ins. */
  Path SUDOERS_DIR = Path.of("/etc/sudoers.d");

  /** Prefix of every drop-in file the agent owns in the sudoers directory: {@code portcullis-LOGIN}. */
  String DROP_IN_PREFIX = "portcullis-";

  /**
   * Names of this host's system accounts and groups: ids below 1000, and {@code nobody}/{@code nogroup}
   * (65534) and above. None may become a managed login.
   */
  Set<String> systemNames() throws IOException;

  /** The account named {@code login} in the host's user database (local files or any NSS source). */
  Optional<LocalAccount> lookup(String login) throws IOException;

  /**
   * Creates {@code login} with its own group and a home directory, no usable password and {@code comment}
   * as its full name.
   *
   * @throws IOException if the account could not be created (it may already exist)
   */
  void createAccount(String login, String comment) throws IOException;

  /**
   * Ends every process of {@code account}, then deletes it with its home directory and mail spool.
   *
   * @throws IOException if the account is still there afterwards
   */
  void deleteAccount(LocalAccount account) throws IOException;

  /** The agent's sudo drop-ins, login to content: files named {@link #DROP_IN_PREFIX} + a well-formed login. */
  Map<String, String> sudoDropIns() throws IOException;

  /**
   * Installs {@code content} as {@code login}'s drop-in. The content must pass {@code visudo -c} before it
   * replaces anything, atomically; otherwise nothing changes and an exception says why.
   */
  void installSudoDropIn(String login, String content) throws IOException;

  /** Removes {@code login}'s drop-in if there is one. */
  void removeSudoDropIn(String login) throws IOException;

  /** The real host: drop-ins in {@link #SUDOERS_DIR}, and 30 seconds at most for each command. */
  static HostCommands linux() {
    return linux(SUDOERS_DIR, Duration.ofSeconds(30));
  }

  /**
   * The real host, with drop-ins in {@code sudoersDir}: sudo only reads {@code /etc/sudoers.d}, so another
   * directory suits only tests of the file handling.
   *
   * @param commandTimeout how long any one command may run before it is killed and reported as failed
   */
  static HostCommands linux(Path sudoersDir, Duration commandTimeout) {
    return new LinuxHostCommands(sudoersDir, new CommandRunner(commandTimeout));
  }
}
