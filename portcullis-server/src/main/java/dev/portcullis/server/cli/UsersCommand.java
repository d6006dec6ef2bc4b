package dev.portcullis.server.cli;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.locks.Locks;
import dev.portcullis.store.jdbc.Storage;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis users lock|unlock|ls}: stop a user at once, everywhere. */
@Command(name = "users", mixinStandardHelpOptions = true, description = "Lock and unlock users.",
    subcommands = {UsersCommand.Lock.class, UsersCommand.Unlock.class, UsersCommand.ListLocks.class})
final class UsersCommand {

  @Command(name = "lock", mixinStandardHelpOptions = true,
      description = "Lock a user: no new sign-in or certificate, live web sessions end, nodes refuse the user's logins.")
  static final class Lock implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminStorage storage;

    @Parameters(index = "0", description = "The user name.")
    String username;

    @Option(names = "--reason", defaultValue = "", description = "Why, for the audit log.")
    String reason;

    @Override
    public Integer call() {
      try (Storage open = storage.open(storage.load())) {
        try {
          new Locks(open.store(), Clock.systemUTC()).lockUser(username, reason, System.getProperty("user.name", ""));
        } catch (IllegalArgumentException e) {
          throw new CliException(e.getMessage());
        }
        try (AuditLog audit = new AuditLog(open.audit(), Optional.empty(), Clock.systemUTC(), new SecureRandom())) {
          audit.event(AuditCode.USER_LOCKED).user(username).reasons(reason.isEmpty() ? List.of() : List.of(reason))
              .details(Map.of("by", System.getProperty("user.name", ""))).record();
        }
        spec.commandLine().getOut().printf("locked %s%n", username);
        spec.commandLine().getOut().flush();
      }
      return 0;
    }
  }

  @Command(name = "unlock", mixinStandardHelpOptions = true, description = "Lift a user's lock.")
  static final class Unlock implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminStorage storage;

    @Parameters(index = "0", description = "The user name.")
    String username;

    @Override
    public Integer call() {
      try (Storage open = storage.open(storage.load())) {
        boolean existed;
        try {
          existed = new Locks(open.store(), Clock.systemUTC()).unlockUser(username);
        } catch (IllegalArgumentException e) {
          throw new CliException(e.getMessage());
        }
        if (!existed) {
          throw new CliException(username + " is not locked", 1);
        }
        try (AuditLog audit = new AuditLog(open.audit(), Optional.empty(), Clock.systemUTC(), new SecureRandom())) {
          audit.event(AuditCode.USER_UNLOCKED).user(username)
              .details(Map.of("by", System.getProperty("user.name", ""))).record();
        }
        spec.commandLine().getOut().printf("unlocked %s%n", username);
        spec.commandLine().getOut().flush();
      }
      return 0;
    }
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List locked users.")
  static final class ListLocks implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminStorage storage;

    @Override
    public Integer call() {
      try (Storage open = storage.open(storage.load())) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-20s %-26s %-12s %s%n", "USER", "LOCKED SINCE", "BY", "REASON");
        for (Locks.UserLock lock : new Locks(open.store(), Clock.systemUTC()).list()) {
          out.printf("%-20s %-26s %-12s %s%n", lock.username(), lock.since(), lock.lockedBy(), lock.reason());
        }
        out.flush();
      }
      return 0;
    }
  }
}
