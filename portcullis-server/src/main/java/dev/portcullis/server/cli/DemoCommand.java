package dev.portcullis.server.cli;

import dev.portcullis.server.PortcullisServer;
import dev.portcullis.server.demo.DemoConfig;
import dev.portcullis.server.demo.WhoamiServer;
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
    SecureRandom random = new SecureRandom();
    WhoamiServer whoami = WhoamiServer.start("whoami");
    WhoamiServer ops = WhoamiServer.start("ops");
    Path config = DemoConfig.write(dataDir, port, whoami.port(), ops.port(), random);
    PortcullisServer server = PortcullisServer.start(config, Clock.systemUTC(), random);
    String suffix = port == 443 ? "" : ":" + port;
    System.out.printf("""

        Portcullis demo is running (Ctrl-C to stop).
          Sign in:  https://portcullis.localhost%1$s/
          whoami:   https://whoami.localhost%1$s/   (any signed-in user)
          ops:      https://ops.localhost%1$s/      (group ops only)
          Users:    alice (group dev) and bob (group ops), password "%2$s"
          The certificate is self-signed: accept it in the browser, or use curl -k.
          Config:   %3$s
          Audit:    ./portcullis audit search --data-dir %4$s --since 1h

        """, suffix, DemoConfig.PASSWORD, config, dataDir);
    StartCommand.awaitShutdown(() -> {
      server.close();
      whoami.close();
      ops.close();
    });
    return 0;
  }
}
