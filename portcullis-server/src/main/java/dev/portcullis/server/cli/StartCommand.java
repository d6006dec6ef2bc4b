package dev.portcullis.server.cli;

import dev.portcullis.config.ConfigException;
import dev.portcullis.server.PortcullisServer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portcullis start --config FILE}: runs the server until interrupted. */
@Command(name = "start", description = "Start Portcullis with a configuration file.", mixinStandardHelpOptions = true)
final class StartCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, required = true, description = "The YAML configuration file.")
  Path config;

  @Override
  public Integer call() throws Exception {
    PortcullisServer server;
    try {
      server = PortcullisServer.start(config, Clock.systemUTC(), new SecureRandom());
    } catch (ConfigException e) {
      throw new CliException(e.getMessage(), 2);
    }
    System.out.println("Portcullis is running at " + server.publicUrl() + " (Ctrl-C to stop)");
    awaitShutdown(server);
    return 0;
  }

  static void awaitShutdown(AutoCloseable server) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception e) {
        // Shutting down anyway.
      }
      stopped.countDown();
    }));
    stopped.await();
  }
}
