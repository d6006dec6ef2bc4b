package dev.portcullis.server.cli;

import dev.portcullis.server.demo.Demo;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portcullis demo}: everything on embedded defaults, on loopback, with demo users and apps. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a self-contained demo: SQLite, a self-signed certificate, local users alice and bob, and two apps.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8443", description = "HTTPS port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", defaultValue = "./data", description = "Where state is kept (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    if (port < 1 || port > 65535) {
      throw new CliException("--port: " + port + " (expected: 1..65535)");
    }
    Demo demo = Demo.start(dataDir, port, Clock.systemUTC(), new SecureRandom());
    System.out.print(demo.banner());
    System.out.flush();
    StartCommand.awaitShutdown(demo);
    return 0;
  }
}
