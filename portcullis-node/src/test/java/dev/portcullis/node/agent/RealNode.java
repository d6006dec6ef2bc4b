package dev.portcullis.node.agent;

import dev.portcullis.testing.RealComponents;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * This machine as a node for the tests: checks it can be one (root, OpenSSH, useradd and friends; see
 * .ci/openssh.sh and .ci/node-accounts.sh), hands out throwaway account names and removes every throwaway
 * account, group and sudo drop-in afterwards, and builds a launcher that sshd can run as the principals command.
 */
final class RealNode {

  private static final List<String> PROGRAMS = List.of("/usr/sbin/useradd", "/usr/sbin/userdel", "/usr/sbin/groupdel",
      "/usr/sbin/visudo", "/usr/bin/getent", "/usr/bin/pkill", "/usr/sbin/runuser", "/usr/bin/kill");
  private static final Path SUDOERS_DIR = Path.of("/etc/sudoers.d");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<String> THROWAWAY = ConcurrentHashMap.newKeySet();
  /** The runtime classes the principals command needs; the rest of the test class path stays out. */
  private static final List<String> RUNTIME_JARS = List.of("jackson-", "picocli-", "slf4j-api-");

  /** What a command printed and returned. */
  record Run(int exitCode, String stdout, String stderr) {}

  private RealNode() {}

  /** Call from {@code @BeforeAll}: skipped locally without these, failed in CI. */
  static void require() {
    RealOpenSsh.requireOrSkip();
    RealComponents.requireOrSkip(PROGRAMS.stream().allMatch(p -> Files.isExecutable(Path.of(p))),
        String.join(", ", PROGRAMS) + " (run .ci/node-accounts.sh)");
  }

  /** A login no account or group on this machine has; {@link #cleanUp()} removes whatever gets created for it. */
  static String throwawayName(String prefix) throws IOException {
    while (true) {
      StringBuilder name = new StringBuilder(prefix);
      for (int i = 0; i < 6; i++) {
        name.append((char) ('a' + RANDOM.nextInt(26)));
      }
      String candidate = name.toString();
      if (run("/usr/bin/getent", "passwd", candidate).exitCode() == 2
          && run("/usr/bin/getent", "group", candidate).exitCode() == 2) {
        THROWAWAY.add(candidate);
        return candidate;
      }
    }
  }

  static boolean accountExists(String login) throws IOException {
    return run("/usr/bin/getent", "passwd", login).exitCode() == 0;
  }

  /** Removes every throwaway account's processes, account, home, group and sudo drop-in, whenever made. */
  static void cleanUp() throws IOException {
    List<String> problems = new ArrayList<>();
    for (String name : List.copyOf(THROWAWAY)) {
      Files.deleteIfExists(SUDOERS_DIR.resolve("portcullis-" + name));
      if (accountExists(name)) {
        run("/usr/bin/pkill", "-KILL", "-u", name);
        Run userdel = run("/usr/sbin/userdel", "--remove", "--force", name);
        // 12: no home to remove, as for a system account.
        if (userdel.exitCode() != 0 && userdel.exitCode() != 12) {
          problems.add(name + ": " + userdel.stderr());
        }
      }
      if (run("/usr/bin/getent", "group", name).exitCode() == 0) {
        run("/usr/sbin/groupdel", name);
      }
      // The name stays listed: a later join may create it again, and the next clean-up must remove it too.
    }
    if (!problems.isEmpty()) {
      throw new IOException("could not remove test accounts: " + problems);
    }
  }

  /**
   * A launcher in {@code directory} that runs {@code node ...} from this build's classes, as the one join writes
   * runs the jar: the classes and the few jars they need are copied where the unprivileged principals user can
   * read them (the Maven repository is root's alone), and every directory up to / stays root-owned and
   * writable by root only, as sshd demands.
   */
  static Path launcher(Path directory) throws IOException {
    Files.createDirectories(directory);
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path classes = directory.resolve("classes");
    Path lib = Files.createDirectories(directory.resolve("lib"));
    List<String> classPath = new ArrayList<>();
    String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String entry : testClassPath.split(File.pathSeparator)) {
      Path path = Path.of(entry);
      String name = path.getFileName().toString();
      if (Files.isDirectory(path) && path.endsWith(Path.of("portcullis-node", "target", "classes"))) {
        copyTree(path, classes);
        classPath.add(classes.toString());
      } else if (Files.isRegularFile(path) && RUNTIME_JARS.stream().anyMatch(name::startsWith)) {
        Path copy = lib.resolve(name);
        Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
        classPath.add(copy.toString());
      }
    }
    if (!classPath.contains(classes.toString())) {
      throw new IllegalStateException("portcullis-node/target/classes is not on the test class path: " + testClassPath);
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

  /**
   * A fresh directory for one test class under /var/lib/portcullis-tests, not /tmp: sshd runs the principals command
   * only when every directory above it is root's alone, and /tmp is world-writable. It is 0755 so the
   * principals user can reach what join writes inside.
   */
  static Path directory() throws IOException {
    // Not under the checkout either: CI may clone it below /tmp. /var/lib is root's alone on Debian.
    Path base = Files.createDirectories(Path.of("/var/lib/portcullis-tests"));
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path directory = Files.createTempDirectory(base, "node-test-");
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    return directory;
  }

  /** Deletes a directory from {@link #directory()} and everything in it. */
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

  static Run run(String... command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().put("LC_ALL", "C");
    Process process = builder.start();
    try {
      FutureTask<byte[]> err = new FutureTask<>(process.getErrorStream()::readAllBytes);
      Thread.ofVirtual().start(err);
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " timed out");
      }
      return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8),
          new String(err.get(), StandardCharsets.UTF_8));
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
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
