package dev.portcullis.server.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a login's processes on the demo node see. They run as the OS user running the demo, which cannot switch
 * users, so each login gets its own HOME under the data directory (the real home stays untouched), USER and LOGNAME
 * name the login, and the rest of the environment is a short fixed list: nothing from the demo's own environment
 * or from the client beyond the terminal type.
 */
final class LoginEnvironment {
  /** The logins the CA certifies; checked again because the login becomes a directory name. */
  private static final Pattern LOGIN = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
  private static final Pattern TERM = Pattern.compile("[A-Za-z0-9._+-]{1,64}");
  private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

  private final Path homes;
  private final String nodeName;
  private final Path shell;
  private final Map<String, String> inherited;

  /**
   * @param homes    the directory that holds one home per login
   * @param system   the demo's environment; only PATH and LANG are taken from it
   */
  LoginEnvironment(Path homes, String nodeName, Map<String, String> system) {
    this.homes = requireNonNull(homes, "homes").toAbsolutePath();
    this.nodeName = requireNonNull(nodeName, "nodeName");
    this.shell = Files.isExecutable(Path.of("/bin/bash")) ? Path.of("/bin/bash") : Path.of("/bin/sh");
    Map<String, String> kept = new LinkedHashMap<>();
    kept.put("PATH", system.getOrDefault("PATH", DEFAULT_PATH));
    kept.put("LANG", system.getOrDefault("LANG", "C.UTF-8"));
    this.inherited = Map.copyOf(kept);
  }

  /** The login shell: bash when the machine has it, else sh. */
  Path shell() {
    return shell;
  }

  /** The OS user that every login's commands really run as. */
  static String operatingSystemUser() {
    return System.getProperty("user.name");
  }

  /**
   * The login's home, created (0700) with a profile that names the login and the node in the prompt.
   *
   * @throws IllegalArgumentException if {@code login} is not a login the CA could have certified
   */
  Path home(String login) throws IOException {
    if (login == null || !LOGIN.matcher(login).matches()) {
      throw new IllegalArgumentException("login: \"" + CertificateAuthenticator.printable(login)
          + "\" (expected: [a-z_][a-z0-9_-]{0,31})");
    }
    Path home = homes.resolve(login);
    if (!Files.isDirectory(home)) {
      Files.createDirectories(homes);
      try {
        Files.createDirectory(home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException raced) {
        // Two sessions of one login started together; the other made it.
      }
    }
    writeIfMissing(home.resolve(".profile"), """
        # Written by the Portcullis demo node. A login shell reads this; it reads .bashrc for bash.
        if [ -n "$BASH_VERSION" ] && [ -f "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi
        """);
    writeIfMissing(home.resolve(".bashrc"), """
        # Written by the Portcullis demo node: the prompt shows the login and the node, as on a real node.
        PS1='%s@%s:\\w\\$ '
        """.formatted(login, nodeName));
    return home;
  }

  /**
   * The whole environment of a login's process.
   *
   * @param term the terminal type from the client's pty request; empty without a terminal
   */
  Map<String, String> variables(String login, Path home, Optional<String> term) {
    Map<String, String> variables = new LinkedHashMap<>(inherited);
    variables.put("HOME", home.toString());
    variables.put("USER", login);
    variables.put("LOGNAME", login);
    variables.put("SHELL", shell.toString());
    term.ifPresent(t -> variables.put("TERM", TERM.matcher(t).matches() ? t : "xterm"));
    return variables;
  }

  /** The line an interactive session starts with, so nobody mistakes the demo's sandbox for a user switch. */
  String notice(String login, Path home) {
    return "Welcome to " + nodeName + ", the Portcullis demo node. You are " + login + " here, but commands run as"
        + " the OS user '" + operatingSystemUser() + "' that runs the demo (it cannot switch users); HOME is "
        + home + ".";
  }

  /** The command line of a login's shell or command without a terminal, as sshd runs it: {@code $SHELL -c}. */
  List<String> plainCommand(Optional<String> command) {
    return command.map(c -> List.of(shell.toString(), "-c", c)).orElseGet(() -> List.of(shell.toString(), "-l"));
  }

  private static void writeIfMissing(Path file, String content) throws IOException {
    if (!Files.exists(file)) {
      try {
        Files.writeString(file, content, java.nio.file.StandardOpenOption.CREATE_NEW);
      } catch (FileAlreadyExistsException raced) {
        // Written by a concurrent session of the same login.
      }
    }
  }
}
