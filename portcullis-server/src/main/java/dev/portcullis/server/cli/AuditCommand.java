package dev.portcullis.server.cli;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditEventJson;
import dev.portcullis.audit.AuditQuery;
import dev.portcullis.audit.AuditStore;
import dev.portcullis.audit.StoredAuditEvent;
import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ConfigLoader;
import dev.portcullis.config.Durations;
import dev.portcullis.store.jdbc.Storage;
import dev.portcullis.store.jdbc.StorageSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portcullis audit search|verify}: read and check the audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Search and verify the audit log.",
    subcommands = {AuditCommand.Search.class, AuditCommand.Verify.class})
final class AuditCommand {

  /** Where the audit log is: the server's configuration, or a data directory with the embedded database. */
  static final class Source {
    @Option(names = {"-c", "--config"}, description = "The server's YAML configuration.")
    Path config;

    @Option(names = "--data-dir", description = "A data directory with the embedded SQLite database (the demo's is ./data).")
    Path dataDir;
  }

  static Storage open(Source source) {
    Clock clock = Clock.systemUTC();
    if (source == null || (source.config == null && source.dataDir == null)) {
      source = new Source();
      source.dataDir = Path.of("data");
    }
    if (source.config != null) {
      try {
        var config = ConfigLoader.load(source.config);
        return dev.portcullis.server.StorageAccess.open(config, clock);
      } catch (ConfigException e) {
        throw new CliException(e.getMessage());
      }
    }
    if (!Files.isDirectory(source.dataDir)) {
      throw new CliException("--data-dir: " + source.dataDir + " is not a directory (expected: the server's data_dir)");
    }
    return Storage.open(new StorageSettings.Sqlite(source.dataDir, clock));
  }

  @Command(name = "search", mixinStandardHelpOptions = true, description = "List audit events, newest first.")
  static final class Search implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true)
    Source source;

    @Option(names = "--user", description = "Only events of this user.")
    String user;

    @Option(names = "--since", description = "Only events newer than this, for example 30m, 1h, 7d.")
    String since;

    @Option(names = "--type", description = "Only events of this type, for example access.denied or user.login.")
    String type;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many events (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print one JSON object per line.")
    boolean json;

    @Override
    public Integer call() {
      Optional<Instant> from = Optional.empty();
      if (since != null) {
        Duration duration;
        try {
          duration = Durations.parse(since);
        } catch (IllegalArgumentException e) {
          throw new CliException("--since: " + e.getMessage());
        }
        from = Optional.of(Clock.systemUTC().instant().minus(duration));
      }
      if (limit < 1 || limit > 10_000) {
        throw new CliException("--limit: " + limit + " (expected: 1..10000)");
      }
      try (Storage storage = open(source)) {
        List<StoredAuditEvent> events = storage.audit().search(
            new AuditQuery(Optional.ofNullable(user), from, Optional.empty(), Optional.ofNullable(type), limit));
        PrintWriter out = spec.commandLine().getOut();
        for (StoredAuditEvent stored : events) {
          AuditEvent e = stored.event();
          if (json) {
            out.println(AuditEventJson.write(e));
          } else {
            out.printf("%-24s %-8s %-20s %-10s %-10s %-14s %s%n", e.time(), e.code().code(), e.code().type(),
                e.user().isEmpty() ? "-" : e.user(), e.provider().isEmpty() ? "-" : e.provider(),
                e.resource().isEmpty() ? "-" : e.resource(), String.join("; ", e.reasons()));
          }
        }
        if (!json) {
          out.printf("%d event(s)%n", events.size());
        }
        out.flush();
      }
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check the audit log's hash chain. Exit code 0 = intact, 1 = tampered.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true)
    Source source;

    @Override
    public Integer call() {
      try (Storage storage = open(source)) {
        PrintWriter out = spec.commandLine().getOut();
        int code = switch (storage.audit().verify()) {
          case AuditStore.ChainVerification.Intact intact -> {
            out.printf("audit log intact: %d event(s)%n", intact.events());
            yield 0;
          }
          case AuditStore.ChainVerification.Broken broken -> {
            out.printf("audit log TAMPERED at event %d: %s%n", broken.sequence(), broken.reason());
            yield 1;
          }
        };
        out.flush();
        return code;
      }
    }
  }
}
