package dev.portcullis.server.cli;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.bastion.recording.Recordings;
import dev.portcullis.bastion.sessions.SshSessionRecord;
import dev.portcullis.bastion.sessions.SshSessions;
import dev.portcullis.config.PortcullisConfig;
import dev.portcullis.store.jdbc.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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

/** {@code portcullis sessions ls|kill|export}: the SSH sessions through the bastion, live and past. */
@Command(name = "sessions", mixinStandardHelpOptions = true, description = "SSH sessions through the bastion.",
    subcommands = {SessionsCommand.ListSessions.class, SessionsCommand.Kill.class, SessionsCommand.Export.class})
final class SessionsCommand {
  private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final FileAttribute<?> PRIVATE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final String ROW = "%-23s %-14s %-16s %-12s %-19s %-12s %-24s %s%n";

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List sessions, newest first.")
  static final class ListSessions implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminStorage storage;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many sessions (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--live", description = "Only sessions that have not ended.")
    boolean live;

    @Override
    public Integer call() {
      if (limit < 1 || limit > 10_000) {
        throw new CliException("--limit: " + limit + " (expected: 1 to 10000)");
      }
      try (Storage open = storage.open(storage.load())) {
        SshSessions sessions = new SshSessions(open.store(), Clock.systemUTC());
        List<SshSessionRecord> shown = live
            ? sessions.live().stream().limit(limit).toList()
            : sessions.list(limit);
        PrintWriter out = spec.commandLine().getOut();
        if (shown.isEmpty()) {
          out.println(live ? "no live sessions" : "no sessions");
        } else {
          Instant now = Clock.systemUTC().instant();
          out.printf(ROW, "ID", "USER", "NODE", "LOGIN", "STARTED (UTC)", "DURATION", "END REASON", "RECORDED");
          for (SshSessionRecord session : shown) {
            String duration = (session.live() ? "live " : "") + duration(session.duration(now));
            out.printf(ROW, session.id(), printable(session.user()), printable(session.node()),
                printable(session.login()), STARTED.format(session.started()), duration,
                printable(session.endReason().orElse("")), session.recorded() ? "yes" : "no");
          }
        }
        out.flush();
      }
      return 0;
    }
  }

  @Command(name = "kill", mixinStandardHelpOptions = true,
      description = "End a live session: the bastion that runs it closes it within 5 seconds.")
  static final class Kill implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminStorage storage;

    @Parameters(index = "0", paramLabel = "SESSION_ID", description = "The session, as sessions ls shows it.")
    String id;

    @Option(names = "--reason", defaultValue = "", description = "Why, for the audit log.")
    String reason;

    @Override
    public Integer call() {
      try (Storage open = storage.open(storage.load())) {
        SshSessions sessions = new SshSessions(open.store(), Clock.systemUTC());
        SshSessionRecord session = sessions.find(id)
            .orElseThrow(() -> new CliException("no session " + quoted(id) + " (see portcullis sessions ls)", 1));
        if (!session.live()) {
          throw new CliException("session " + id + " already ended at " + session.ended().get() + " ("
              + printable(session.endReason().orElse("")) + ")", 1);
        }
        String by = System.getProperty("user.name", "");
        if (sessions.requestKill(id, by, reason).isEmpty()) {
          throw new CliException("session " + id + " ended meanwhile", 1);
        }
        try (AuditLog audit = new AuditLog(open.audit(), Optional.empty(), Clock.systemUTC(), new SecureRandom())) {
          audit.event(AuditCode.SSH_SESSION_KILL_REQUESTED).user(session.user()).provider(session.provider())
              .resource("node:" + session.node()).reasons(reason.isEmpty() ? List.of() : List.of(reason))
              .details(Map.of("session_id", id, "requested_by", by, "login", session.login())).record();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("kill requested for session %s (%s@%s as %s); the bastion ends it within 5 seconds%n",
            id, printable(session.user()), printable(session.node()), printable(session.login()));
        out.flush();
      }
      return 0;
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write a session's recording as a plain asciicast v2 file (asciinema play FILE plays it).")
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminStorage storage;

    @Parameters(index = "0", paramLabel = "SESSION_ID", description = "The session, as sessions ls shows it.")
    String id;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Override
    public Integer call() {
      PortcullisConfig config = storage.load();
      try (InputStream cast = openRecording(storage, config, id)) {
        if (output == null) {
          PrintWriter out = spec.commandLine().getOut();
          new InputStreamReader(cast, StandardCharsets.UTF_8).transferTo(out);
          out.flush();
        } else {
          // Recordings hold what users typed: the copy is private to whoever exports it, like the original.
          Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
          Files.deleteIfExists(tmp);
          try (OutputStream file = Files.newOutputStream(Files.createFile(tmp, PRIVATE))) {
            cast.transferTo(file);
          }
          Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          spec.commandLine().getErr().printf("wrote the recording of session %s to %s%n", id, output);
        }
      } catch (IOException e) {
        throw new CliException("exporting session " + id + " failed: " + e.getMessage(), 1);
      }
      return 0;
    }
  }

  /**
   * The uncompressed recording of a session, or a {@link CliException} (exit 1) that says why there is none:
   * no such session, not recorded, or recorded but the file is missing.
   */
  static InputStream openRecording(AdminStorage storage, PortcullisConfig config, String id) {
    if (id == null || !Recordings.ID.matcher(id).matches()) {
      throw new CliException(quoted(id) + " is not a session id (expected: 1-64 characters A-Z, a-z, 0-9, '-')", 1);
    }
    Path dir = Recordings.directoryIn(config.server().dataDir());
    try {
      return Recordings.openCast(dir, id);
    } catch (NoSuchFileException missing) {
      Optional<SshSessionRecord> session;
      try (Storage open = storage.open(config)) {
        session = new SshSessions(open.store(), Clock.systemUTC()).find(id);
      }
      if (session.isEmpty()) {
        throw new CliException("no session " + id + " (see portcullis sessions ls)", 1);
      }
      if (!session.get().recorded()) {
        throw new CliException("session " + id + " was not recorded", 1);
      }
      throw new CliException("session " + id + " was recorded, but " + dir + " has no recording of it", 1);
    } catch (IOException e) {
      throw new CliException("reading the recording of session " + id + " failed: " + e.getMessage(), 1);
    }
  }

  /** For example {@code 45s}, {@code 3m12s}, {@code 2h05m}, {@code 3d04h}. */
  static String duration(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3_600) {
      return seconds / 60 + "m" + String.format("%02ds", seconds % 60);
    }
    if (seconds < 86_400) {
      return seconds / 3_600 + "h" + String.format("%02dm", seconds % 3_600 / 60);
    }
    return seconds / 86_400 + "d" + String.format("%02dh", seconds % 86_400 / 3_600);
  }

  private static String quoted(String id) {
    return "'" + printable(String.valueOf(id)) + "'";
  }

  /**
   * The text with control characters shown as '?': an end reason can carry what an SSH client sent, and
   * escape sequences in it must not reach the administrator's terminal.
   */
  static String printable(String text) {
    StringBuilder shown = new StringBuilder(text.length());
    text.codePoints().forEach(c -> shown.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return shown.toString();
  }
}
