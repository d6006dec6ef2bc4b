package dev.portcullis.server.demo;

import dev.portcullis.server.PortcullisServer;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;

/**
 * A running {@code portcullis demo}: the two built-in whoami upstreams, a Portcullis in front of them configured by
 * {@link DemoConfig} in the data directory, and the {@link DemoNode} to try SSH on. Closing it stops them all.
 */
public final class Demo implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private final Path config;
  private final WhoamiServer whoami;
  private final WhoamiServer ops;
  private final PortcullisServer server;
  private final DemoNode node;

  private Demo(Path dataDir, int port, Path config, WhoamiServer whoami, WhoamiServer ops, PortcullisServer server,
      DemoNode node) {
    this.dataDir = dataDir;
    this.port = port;
    this.config = config;
    this.whoami = whoami;
    this.ops = ops;
    this.server = server;
    this.node = node;
  }

  /**
   * Starts the upstreams, writes the demo configuration into {@code dataDir}, starts Portcullis on {@code port}, then
   * the demo node on a free loopback port; the SSH bastion is configured on {@link DemoConfig#BASTION_PORT}.
   */
  public static Demo start(Path dataDir, int port, InstantSource clock, SecureRandom random) throws IOException {
    return start(dataDir, port, DemoConfig.BASTION_PORT, clock, random);
  }

  /** As {@link #start(Path, int, InstantSource, SecureRandom)}, with the SSH bastion on {@code bastionPort}. */
  public static Demo start(Path dataDir, int port, int bastionPort, InstantSource clock, SecureRandom random)
      throws IOException {
    WhoamiServer whoami = WhoamiServer.start("whoami");
    WhoamiServer ops = null;
    PortcullisServer server = null;
    try {
      ops = WhoamiServer.start("ops");
      Path config = DemoConfig.write(dataDir, port, bastionPort, whoami.port(), ops.port(), random);
      server = PortcullisServer.start(config, clock, random);
      DemoNode node = DemoNode.start(server.ssh(), server::policy, dataDir, clock, random);
      return new Demo(dataDir, port, config, whoami, ops, server, node);
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.close();
      }
      whoami.close();
      if (ops != null) {
        ops.close();
      }
      throw e;
    }
  }

  /** What the demo prints on start: the sign-in URL, each app's URL, the users, the SSH steps and where to look next. */
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
          SSH:      node %5$s (env=demo) listens on %6$s; alice may log in as alice, bob as bob or ops
            ./portcullis login --proxy https://portcullis.localhost%1$s --insecure --user alice
            ./portcullis ssh-config > demo_ssh_config
            ssh -F demo_ssh_config alice@%5$s
            On %5$s, commands run as the OS user '%7$s' that runs this demo (it cannot switch users).

        """.formatted(suffix, DemoConfig.PASSWORD, config, dataDir, node.name(), node.address(),
            LoginEnvironment.operatingSystemUser());
  }

  public PortcullisServer server() {
    return server;
  }

  /** The SSH node the demo runs: its name, labels, and the address the bastion dials ({@link DemoNode#address()}). */
  public DemoNode node() {
    return node;
  }

  /** The configuration file the demo wrote. */
  public Path config() {
    return config;
  }

  @Override
  public void close() {
    node.close();
    server.close();
    whoami.close();
    ops.close();
  }
}
