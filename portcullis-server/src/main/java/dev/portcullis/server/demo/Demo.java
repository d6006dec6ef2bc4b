package dev.portcullis.server.demo;

import dev.portcullis.server.PortcullisServer;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;

/**
 * A running {@code portcullis demo}: the two built-in whoami upstreams and a Portcullis in front of them,
 * configured by {@link DemoConfig} in the data directory. Closing it stops all three.
 */
public final class Demo implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private final Path config;
  private final WhoamiServer whoami;
  private final WhoamiServer ops;
  private final PortcullisServer server;

  private Demo(Path dataDir, int port, Path config, WhoamiServer whoami, WhoamiServer ops, PortcullisServer server) {
    this.dataDir = dataDir;
    this.port = port;
    this.config = config;
    this.whoami = whoami;
    this.ops = ops;
    this.server = server;
  }

  /** Starts the upstreams, writes the demo configuration into {@code dataDir} and starts Portcullis on {@code port}. */
  public static Demo start(Path dataDir, int port, InstantSource clock, SecureRandom random) throws IOException {
    WhoamiServer whoami = WhoamiServer.start("whoami");
    WhoamiServer ops = null;
    try {
      ops = WhoamiServer.start("ops");
      Path config = DemoConfig.write(dataDir, port, whoami.port(), ops.port(), random);
      return new Demo(dataDir, port, config, whoami, ops, PortcullisServer.start(config, clock, random));
    } catch (IOException | RuntimeException e) {
      whoami.close();
      if (ops != null) {
        ops.close();
      }
      throw e;
    }
  }

  /** What the demo prints on start: the sign-in URL, each app's URL, the users and where to look next. */
  public String banner() {
    String suffix = port == 443 ? "" : ":" + port;
    return """

        Portcullis demo is running (Ctrl-C to stop).
          Sign in:  https://portcullis.localhost%1$s/
          whoami:   https://whoami.localhost%1$s/   (any signed-in user)
          ops:      https://ops.localhost%1$s/      (group ops only)
          Users:    alice (group dev) and bob (group ops), password "%2$s"
          The certificate is self-signed: accept it in the browser, or use curl -k.
          Config:   %3$s
          Audit:    ./portcullis audit search --data-dir %4$s --since 1h

        """.formatted(suffix, DemoConfig.PASSWORD, config, dataDir);
  }

  public PortcullisServer server() {
    return server;
  }

  /** The configuration file the demo wrote. */
  public Path config() {
    return config;
  }

  @Override
  public void close() {
    server.close();
    whoami.close();
    ops.close();
  }
}
