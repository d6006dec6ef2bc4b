package dev.portcullis.node.accounts;

import dev.portcullis.testing.RealComponents;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * The real machine for {@link RealHostAccountsTest}: checks that it can run the account commands (root,
 * Debian's passwd and sudo; see .ci/node-accounts.sh), hands out throwaway {@code pctest*} logins, runs test
 * commands, and removes every throwaway account, group and drop-in afterwards.
 */
final class RealHost {

  static final Path SUDOERS_DIR = Path.of("/etc/sudoers.d");
  private static final List<String> PROGRAMS = List.of("/usr/sbin/useradd", "/usr/sbin/userdel", "/usr/sbin/groupdel",
      "/usr/sbin/visudo", "/usr/bin/sudo", "/usr/bin/getent", "/usr/bin/pkill", "/usr/bin/pgrep", "/usr/sbin/runuser");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<String> THROWAWAY = ConcurrentHashMap.newKeySet();

  /** What a test command printed and returned. */
  record Run(int exitCode, String stdout, String stderr) {}

  private RealHost() {}

  static void require() {
    RealComponents.requireOrSkip("root".equals(System.getProperty("user.name")),
        "root, to create and delete local accounts");
    RealComponents.requireOrSkip(PROGRAMS.stream().allMatch(p -> Files.isExecutable(Path.of(p))),
        String.join(", ", PROGRAMS) + " (run .ci/node-accounts.sh)");
    RealComponents.requireOrSkip(Files.isDirectory(SUDOERS_DIR), SUDOERS_DIR + " (run .ci/node-accounts.sh)");
  }

  /** A login no account on this machine has, removed again by {@link #cleanUp()}. */
  static String throwawayLogin() throws IOException {
    while (true) {
      StringBuilder login = new StringBuilder("pctest");
      for (int i = 0; i < 6; i++) {
        login.append((char) ('a' + RANDOM.nextInt(26)));
      }
      String name = login.toString();
      if (run("/usr/bin/getent", "passwd", name).exitCode() == 2
          && run("/usr/bin/getent", "group", name).exitCode() == 2) {
        THROWAWAY.add(name);
        return name;
      }
    }
  }

  /** Removes every throwaway login's processes, account, home, group and drop-in, whatever state they are in. */
  static void cleanUp() throws IOException {
    List<String> problems = new ArrayList<>();
    for (String login : List.copyOf(THROWAWAY)) {
      Files.deleteIfExists(SUDOERS_DIR.resolve("portcullis-" + login));
      if (run("/usr/bin/getent", "passwd", login).exitCode() == 0) {
        run("/usr/bin/pkill", "-KILL", "-u", login);
        Run userdel = run("/usr/sbin/userdel", "--remove", "--force", login);
        if (userdel.exitCode() != 0 && userdel.exitCode() != 12) {
          problems.add(login + ": " + userdel.stderr());
        }
      }
      if (run("/usr/bin/getent", "group", login).exitCode() == 0) {
        run("/usr/sbin/groupdel", login);
      }
      THROWAWAY.remove(login);
    }
    if (!problems.isEmpty()) {
      throw new IOException("could not remove test accounts: " + problems);
    }
  }

  static Run run(String... command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
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
}
