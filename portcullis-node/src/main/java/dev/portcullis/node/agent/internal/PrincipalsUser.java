package dev.portcullis.node.agent.internal;

import dev.portcullis.node.accounts.LoginNames;
import dev.portcullis.node.accounts.internal.CommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The unprivileged account sshd runs the principals command as ({@code AuthorizedPrincipalsCommandUser}). It
 * needs to read the node credential, so {@code node.json} is readable by its primary group and by root only;
 * a dedicated system account (default {@code portcullis}) keeps that credential away from everything else
 * that runs as {@code nobody}.
 *
 * @param name the account name
 * @param uid  its uid; never 0
 * @param gid  its primary group, which may read {@code node.json}
 */
public record PrincipalsUser(String name, int uid, int gid) {

  public static final String DEFAULT = "portcullis";
  private static final Path GETENT = Path.of("/usr/bin/getent");
  private static final Path USERADD = Path.of("/usr/sbin/useradd");
  private static final int GETENT_NOT_FOUND = 2;

  /**
   * Looks {@code name} up, creating it as a system account with its own group, no home and no login shell
   * when it does not exist.
   *
   * @throws IOException if it cannot be found or created, or if it is root
   */
  public static PrincipalsUser ensure(String name) throws IOException {
    if (!LoginNames.isWellFormed(name)) {
      throw new IllegalArgumentException("principals user: " + LoginNames.printable(name)
          + " (expected: a login name of a-z, 0-9, '_' and '-')");
    }
    CommandRunner runner = new CommandRunner(Duration.ofSeconds(30));
    Optional<PrincipalsUser> existing = lookup(runner, name);
    if (existing.isEmpty()) {
      CommandRunner.Result created = runner.run(USERADD, "--system", "--user-group", "--no-create-home",
          "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
          "--comment", "Portcullis sshd principals command", "--", name);
      if (created.exitCode() != 0) {
        throw new IOException("cannot create the system user " + name + " for sshd's principals command: "
            + USERADD + " exited with " + created.exitCode() + ": " + created.stderr().strip());
      }
      existing = lookup(runner, name);
    }
    PrincipalsUser user = existing.orElseThrow(() -> new IOException("the user " + name + " does not look up"));
    if (user.uid() == 0 || user.gid() == 0) {
      throw new IOException("principals user " + name + " has uid or gid 0 (expected: an unprivileged account;"
          + " sshd runs the principals command as it)");
    }
    return user;
  }

  private static Optional<PrincipalsUser> lookup(CommandRunner runner, String name) throws IOException {
    CommandRunner.Result result = runner.run(Set.of(0, GETENT_NOT_FOUND), GETENT, "passwd", "--", name);
    if (result.exitCode() == GETENT_NOT_FOUND) {
      return Optional.empty();
    }
    String[] fields = result.stdout().strip().split(":", -1);
    if (fields.length != 7 || !fields[0].equals(name)) {
      throw new IOException("getent passwd " + name + " returned an unexpected entry");
    }
    try {
      return Optional.of(new PrincipalsUser(name, Integer.parseInt(fields[2]), Integer.parseInt(fields[3])));
    } catch (NumberFormatException e) {
      throw new IOException("getent passwd " + name + " returned an unreadable entry");
    }
  }
}
