package dev.portcullis.server;

import dev.portcullis.localauth.PasswordHasher;
import dev.portcullis.server.demo.WhoamiServer;
import dev.portcullis.testing.TestClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Portcullis on a free loopback port, with real whoami upstreams and a configuration written to
 * a temporary directory. {@link #yaml} templates may use {@code {PORT}}, {@code {DATA}}, {@code
 * {WHOAMI}}, {@code {OPS}} and {@code {HASH}} (the hash of {@link #PASSWORD}).
 */
public final class TestServer implements AutoCloseable {
  public static final String PASSWORD = "correct horse";
  private static final String HASH = new PasswordHasher(new SecureRandom(), 1024, 1, 1).hash(PASSWORD.toCharArray());

  public final Path dataDir;
  public final Path configFile;
  public final int port;
  public final TestClock clock;
  public final WhoamiServer whoami;
  public final WhoamiServer ops;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private PortcullisServer server;

  private TestServer(Path dataDir, int port, TestClock clock) throws IOException {
    this.dataDir = dataDir;
    this.configFile = dataDir.resolve("portcullis.yaml");
    this.port = port;
    this.clock = clock;
    this.whoami = WhoamiServer.start("whoami");
    this.ops = WhoamiServer.start("ops");
    closeables.add(whoami);
    closeables.add(ops);
  }

  /** Writes the configuration and starts Portcullis. */
  public static TestServer start(Path tempDir, String yamlTemplate) {
    return start(tempDir, yamlTemplate, new TestClock(Instant.now()));
  }

  /** Starts on a port chosen beforehand, for identity providers that must know the callback URL first. */
  public static TestServer startOnPort(Path tempDir, int port, String yamlTemplate) {
    return start(tempDir, port, yamlTemplate, new TestClock(Instant.now()));
  }

  public static TestServer start(Path tempDir, String yamlTemplate, TestClock clock) {
    try {
      return start(tempDir, freePort(), yamlTemplate, clock);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TestServer start(Path tempDir, int port, String yamlTemplate, TestClock clock) {
    try {
      TestServer test = new TestServer(tempDir, port, clock);
      Files.writeString(test.configFile, test.yaml(yamlTemplate));
      test.server = PortcullisServer.start(test.configFile, clock, new SecureRandom());
      return test;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fills the template's placeholders with this server's values. */
  public String yaml(String template) {
    return template.replace("{PORT}", Integer.toString(port))
        .replace("{DATA}", dataDir.toString())
        .replace("{WHOAMI}", "http://127.0.0.1:" + whoami.port())
        .replace("{OPS}", "http://127.0.0.1:" + ops.port())
        .replace("{HASH}", HASH);
  }

  /** Replaces the configuration file, for reload tests. */
  public void rewriteConfig(String yamlTemplate) throws IOException {
    Path temp = configFile.resolveSibling("portcullis.yaml.tmp");
    Files.writeString(temp, yaml(yamlTemplate));
    Files.move(temp, configFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  public PortcullisServer server() {
    return server;
  }

  /** An https URL on one of the configured hosts, for example {@code url("whoami", "/x")}. */
  public URI url(String hostLabel, String pathAndQuery) {
    return URI.create("https://" + hostLabel + ".localhost:" + port + pathAndQuery);
  }

  /** The self-signed certificate the server generated, for clients to trust. */
  public Path certificate() {
    return dataDir.resolve("tls").resolve("self-signed.crt");
  }

  public void closeLater(AutoCloseable closeable) {
    closeables.add(closeable);
  }

  @Override
  public void close() throws Exception {
    if (server != null) {
      server.close();
    }
    for (AutoCloseable closeable : closeables.reversed()) {
      closeable.close();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
