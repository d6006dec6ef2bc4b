package dev.portcullis.server.ssh;

import dev.portcullis.testing.RealComponents;
import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * This machine as the nodes of the tests: checks that it can be one (root, OpenSSH, useradd and sudo; see
 * .ci/openssh.sh and .ci/node-accounts.sh), hands out throwaway account names that {@link #cleanUp()} removes
 * with their homes, groups and sudo drop-ins, and builds the launcher sshd runs as the principals command.
 */
final class RealHost {

  private static final List<String> PROGRAMS = List.of("/usr/sbin/useradd", "/usr/sbin/userdel", "/usr/sbin/groupdel",
      "/usr/sbin/visudo", "/usr/bin/getent", "/usr/bin/pkill", "/usr/sbin/runuser", "/usr/bin/kill");
  static final Path SUDOERS_DIR = Path.of("/etc/sudoers.d");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<String> THROWAWAY = ConcurrentHashMap.newKeySet();
  /** What {@code node principals} needs besides the node agent's own classes. */
  private static final List<String> RUNTIME_JARS = List.of("jackson-", "picocli-", "slf4j-api-");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  private RealHost() {}

  /** Call from {@code @BeforeAll}: skipped locally without these, failed in CI. */
  static void require() {
    RealOpenSsh.requireOrSkip();
    RealComponents.requireOrSkip(PROGRAMS.stream().allMatch(p -> Files.isExecutable(Path.of(p))),
        String.join(", ", PROGRAMS) + " (run .ci/node-accounts.sh)");
  }

  /** {@code prefix} and six random letters: no account or group on this machine has the name. */
  static String throwawayName(String prefix) {
    while (true) {
      StringBuilder name = new StringBuilder(prefix);
      for (int i = 0; i < 6; i++) {
        name.append((char) ('a' + RANDOM.nextInt(26)));
      }
      String candidate = name.toString();
      if (getent("passwd", candidate).exitCode() == 2 && getent("group", candidate).exitCode() == 2) {
        THROWAWAY.add(candidate);
        return candidate;
      }
    }
  }

  static boolean accountExists(String login) {
    return getent("passwd", login).exitCode() == 0;
  }

  /** The sudoers drop-in the node agent keeps for {@code login}, if there is one. */
  static Optional<String> sudoRule(String login) throws IOException {
    Path dropIn = SUDOERS_DIR.resolve("portcullis-" + login);
    return Files.exists(dropIn) ? Optional.of(Files.readString(dropIn)) : Optional.empty();
  }

  /** Removes every throwaway account's processes, account, home, group and sudo drop-in, whenever made. */
  static void cleanUp() throws IOException {
    List<String> problems = new ArrayList<>();
    for (String name : List.copyOf(THROWAWAY)) {
      Files.deleteIfExists(SUDOERS_DIR.resolve("portcullis-" + name));
      if (accountExists(name)) {
        run("/usr/bin/pkill", "-KILL", "-u", name);
        Command.Result userdel = run("/usr/sbin/userdel", "--remove", "--force", name);
        // 12: no home to remove, as for a system account.
        if (userdel.exitCode() != 0 && userdel.exitCode() != 12) {
          problems.add(name + ": " + userdel.stderr());
        }
      }
      if (getent("group", name).exitCode() == 0) {
        run("/usr/sbin/groupdel", name);
      }
    }
    if (!problems.isEmpty()) {
      throw new IOException("could not remove test accounts: " + problems);
    }
  }

  /**
   * A fresh directory under /var/lib/portcullis-tests, not /tmp: sshd runs the principals command only when
   * every directory above it is root's alone, and /tmp is world-writable. It is 0755 so the principals user can
   * reach what join writes inside.
   */
  static Path directory(String prefix) throws IOException {
    // Not under the checkout either: CI may clone it below /tmp. /var/lib is root's alone on Debian.
    Path base = Files.createDirectories(Path.of("/var/lib/portcullis-tests"));
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path directory = Files.createTempDirectory(base, prefix);
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    return directory;
  }

  static void delete(Path directory) throws IOException {
    if (directory == null || !Files.exists(directory)) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /**
   * A launcher in {@code directory} that runs {@code node ...} from this build, as the one join writes runs the
   * portcullis jar: the node agent's classes (a directory or jar, whichever Maven put on the test class path) and
   * the few jars they need are copied where the unprivileged principals user can read them (the Maven
   * repository is root's alone), and every directory up to / stays root-owned, as sshd demands.
   */
  static Path launcher(Path directory) throws IOException {
    Path lib = Files.createDirectories(directory.resolve("lib"));
    List<String> classPath = new ArrayList<>();
    String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    boolean agent = false;
    for (String entry : testClassPath.split(File.pathSeparator)) {
      Path path = Path.of(entry);
      String name = path.getFileName().toString();
      if (Files.isDirectory(path) && path.endsWith(Path.of("portcullis-node", "target", "classes"))) {
        Path classes = directory.resolve("classes");
        copyTree(path, classes);
        classPath.add(classes.toString());
        agent = true;
      } else if (Files.isRegularFile(path) && (name.startsWith("portcullis-node-")
          || RUNTIME_JARS.stream().anyMatch(name::startsWith))) {
        Path copy = lib.resolve(name);
        Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
        classPath.add(copy.toString());
        agent |= name.startsWith("portcullis-node-");
      }
    }
    if (!agent) {
      throw new IllegalStateException("the node agent (portcullis-node) is not on the test class path: " + testClassPath);
    }
    makeReadable(directory);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
    Path script = directory.resolve("portcullis");
    Files.writeString(script, "#!/bin/sh\nexec " + java + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData"
        + " -cp " + String.join(":", classPath) + " dev.portcullis.node.agent.NodeCommand \"$@\"\n",
        StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  static Command.Result run(String... command) {
    return Command.run(List.of(command), COMMAND_TIMEOUT);
  }

  private static Command.Result getent(String database, String name) {
    return run("/usr/bin/getent", database, name);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void makeReadable(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path path : files.toList()) {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
            Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
  }
}
