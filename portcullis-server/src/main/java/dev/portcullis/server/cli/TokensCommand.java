package dev.portcullis.server.cli;

import dev.portcullis.config.Durations;
import dev.portcullis.config.PortcullisConfig;
import dev.portcullis.store.jdbc.Storage;
import dev.portcullis.tokens.JoinTokens;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portcullis tokens add|ls}: one-time join tokens for new nodes. */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = "Manage one-time join tokens.",
    subcommands = {TokensCommand.Add.class, TokensCommand.List.class})
final class TokensCommand {

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Create a one-time join token and print it once.")
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminStorage storage;

    @Option(names = "--type", required = true, description = "What the token joins: node.")
    String type;

    @Option(names = "--ttl", defaultValue = "1h", description = "How long the token stays usable (default: ${DEFAULT-VALUE}, at most 7d).")
    String ttl;

    @Override
    public Integer call() {
      if (!type.equals("node")) {
        throw new CliException("--type: '" + type + "' (expected: node)");
      }
      Duration lifetime;
      try {
        lifetime = Durations.parse(ttl);
      } catch (IllegalArgumentException e) {
        throw new CliException("--ttl: " + e.getMessage());
      }
      PortcullisConfig config = storage.load();
      try (Storage open = storage.open(config)) {
        JoinTokens.Issued issued;
        try {
          issued = new JoinTokens(open.store(), Clock.systemUTC(), new SecureRandom()).create(JoinTokens.Kind.NODE, lifetime);
        } catch (IllegalArgumentException e) {
          throw new CliException("--ttl: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(issued.token());
        out.printf("%nThe token works once, until %s. On the server to enroll, run:%n", issued.info().expires());
        out.printf("  portcullis node join --token %s --proxy %s --labels env=dev%n", issued.token(),
            config.server().publicUrl());
        out.flush();
      }
      return 0;
    }
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List unused join tokens (never the tokens themselves).")
  static final class List implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminStorage storage;

    @Override
    public Integer call() {
      try (Storage open = storage.open(storage.load())) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-14s %-6s %-26s %s%n", "ID", "TYPE", "CREATED", "EXPIRES");
        for (JoinTokens.TokenInfo info : new JoinTokens(open.store(), Clock.systemUTC(), new SecureRandom()).list()) {
          out.printf("%-14s %-6s %-26s %s%n", info.id(), info.kind().name().toLowerCase(java.util.Locale.ROOT),
              info.created(), info.expires());
        }
        out.flush();
      }
      return 0;
    }
  }
}
