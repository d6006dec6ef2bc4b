package dev.portcullis.server.cli;

import dev.portcullis.nodes.NodeRecord;
import dev.portcullis.nodes.NodeRegistry;
import dev.portcullis.store.jdbc.Storage;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code portcullis nodes ls}: enrolled servers, their labels and when they were last heard from. */
@Command(name = "nodes", mixinStandardHelpOptions = true, description = "Enrolled nodes.", subcommands = NodesCommand.List.class)
final class NodesCommand {
  /** A node that has not sent a heartbeat for this long is shown as offline. */
  static final Duration ONLINE_WITHIN = Duration.ofSeconds(90);

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List enrolled nodes.")
  static final class List implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminStorage storage;

    @Override
    public Integer call() {
      try (Storage open = storage.open(storage.load())) {
        Instant now = Clock.systemUTC().instant();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-20s %-8s %-22s %-12s %s%n", "NAME", "STATUS", "ADDRESS", "LAST SEEN", "LABELS");
        for (NodeRecord node : new NodeRegistry(open.store(), Clock.systemUTC()).list()) {
          Duration age = Duration.between(node.lastSeen(), now);
          String labels = String.join(",", new TreeMap<>(node.labels()).entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue()).toList());
          out.printf("%-20s %-8s %-22s %-12s %s%n", node.name(), age.compareTo(ONLINE_WITHIN) <= 0 ? "online" : "offline",
              node.address(), ago(age), labels);
        }
        out.flush();
      }
      return 0;
    }

    private static String ago(Duration age) {
      long seconds = Math.max(0, age.toSeconds());
      return seconds < 120 ? seconds + "s ago" : seconds < 7200 ? seconds / 60 + "m ago" : seconds / 3600 + "h ago";
    }
  }
}
