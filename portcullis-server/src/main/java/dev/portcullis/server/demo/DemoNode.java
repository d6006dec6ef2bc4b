package dev.portcullis.server.demo;

import static java.util.Objects.requireNonNull;

import dev.portcullis.http.api.SshServices;
import dev.portcullis.nodes.NodeRecord;
import dev.portcullis.policy.NodeResource;
import dev.portcullis.policy.PolicySnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.sshd.common.file.nativefs.NativeFileSystemFactory;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's one node: an in-process SSH server on loopback that behaves like an enrolled node, so the SSH side can
 * be tried on a machine with only a JDK, as a normal user. It serves a host certificate from the host CA, lets users
 * in only with user certificates and only for the logins their roles grant on it now, runs shells (on a real
 * terminal), commands and sftp as the OS user running the demo, refuses all forwarding, and heartbeats in the node
 * registry so {@code portcullis nodes ls} shows it online.
 */
public final class DemoNode implements AutoCloseable {
  public static final String NAME = "demo-node";
  public static final Map<String, String> LABELS = Map.of("env", "demo");
  /** Where it listens; its port is chosen by the system at each start (the registry and the banner say which). */
  public static final String HOST = "127.0.0.1";
  private static final Logger log = LoggerFactory.getLogger(DemoNode.class);
  private static final Duration HEARTBEAT = Duration.ofSeconds(30);

  private final SshServer sshd;
  private final SshServices ssh;
  private final DemoHostKey hostKey;
  private final ScheduledExecutorService heartbeats;
  private final InstantSource clock;
  private final SecureRandom random;

  private DemoNode(SshServer sshd, SshServices ssh, DemoHostKey hostKey, ScheduledExecutorService heartbeats,
      InstantSource clock, SecureRandom random) {
    this.sshd = sshd;
    this.ssh = ssh;
    this.hostKey = hostKey;
    this.heartbeats = heartbeats;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Starts the node on a free loopback port and enrolls it (again) in the node registry.
   *
   * @param ssh     the running server's certificate authorities and records
   * @param policy  the server's policy in force, read at every login ({@code server::policy})
   * @param dataDir the demo's data directory; homes go under {@code demo-node/home/LOGIN}
   */
  public static DemoNode start(SshServices ssh, Supplier<PolicySnapshot> policy, Path dataDir, InstantSource clock,
      SecureRandom random) throws IOException {
    requireNonNull(ssh, "ssh");
    requireNonNull(policy, "policy");
    requireNonNull(clock, "clock");
    requireNonNull(random, "random");
    Path nodeDir = requireNonNull(dataDir, "dataDir").toAbsolutePath().resolve(NAME);
    if (!Files.isDirectory(nodeDir)) {
      Files.createDirectories(nodeDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    DemoHostKey hostKey = DemoHostKey.create(ssh.hostCa(), "node:" + NAME, List.of(NAME, HOST), clock, random);
    LoginEnvironment logins = new LoginEnvironment(nodeDir.resolve("home"), NAME, System.getenv());
    Optional<PseudoTerminal> terminals = PseudoTerminal.find(System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    if (terminals.isEmpty()) {
      log.warn("{}: util-linux script and stty not found; interactive sessions run without a terminal", NAME);
    }

    SshServer sshd = SshServer.setUpDefaultServer();
    sshd.setHost(HOST);
    sshd.setPort(0);
    CoreModuleProperties.SERVER_IDENTIFICATION.set(sshd, "PortcullisDemoNode");
    // Like sshd, no idle timeout: a shell left open is not cut off after MINA's default ten minutes.
    CoreModuleProperties.IDLE_TIMEOUT.set(sshd, Duration.ZERO);
    sshd.setKeyPairProvider(hostKey.keyPairProvider());
    sshd.setHostKeyCertificateProvider(hostKey.certificateProvider());
    // Certificates only: no password, keyboard-interactive, GSSAPI or host-based authentication.
    sshd.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
    sshd.setPasswordAuthenticator(null);
    sshd.setKeyboardInteractiveAuthenticator(null);
    sshd.setGSSAuthenticator(null);
    sshd.setHostBasedAuthenticator(null);
    sshd.setPublickeyAuthenticator(new CertificateAuthenticator(ssh.userCa(), ssh.nodeLogins(), policy,
        new NodeResource(NAME, LABELS), clock));
    // Session channels only (no direct-tcpip), and no port, agent or X11 forwarding: the bastion decides those.
    sshd.setChannelFactories(List.of(DemoChannelSession.FACTORY));
    sshd.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
    sshd.setAgentFactory(null);
    sshd.setShellFactory(channel -> new LocalCommand(logins, terminals, Optional.empty()));
    sshd.setCommandFactory((channel, command) -> new LocalCommand(logins, terminals, Optional.of(command)));
    sshd.setFileSystemFactory(new NativeFileSystemFactory());
    sshd.setSubsystemFactories(List.of(new HomeSftp(logins)));
    ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("demo-node-heartbeat").factory());
    DemoNode node = new DemoNode(sshd, ssh, hostKey, heartbeats, clock, random);
    try {
      sshd.start();
      node.register();
      heartbeats.scheduleWithFixedDelay(node::heartbeat, HEARTBEAT.toSeconds(), HEARTBEAT.toSeconds(), TimeUnit.SECONDS);
    } catch (IOException | RuntimeException e) {
      node.close();
      throw e;
    }
    log.info("{} ({}) listens on {} with host key {}", NAME, LABELS, node.address(), hostKey.fingerprint());
    return node;
  }

  public String name() {
    return NAME;
  }

  public Map<String, String> labels() {
    return LABELS;
  }

  /** The port chosen at start. */
  public int port() {
    return sshd.getPort();
  }

  /** {@code 127.0.0.1:PORT}, as the node registry has it. */
  public String address() {
    return HOST + ":" + port();
  }

  /** The {@code SHA256:...} fingerprint of its host key, new at every start. */
  public String hostKeyFingerprint() {
    return hostKey.fingerprint();
  }

  /**
   * Marks the node as seen (enrolling it again if the registry lost it) and renews its host certificate when due;
   * runs every 30 seconds. Failures are logged and retried at the next beat.
   */
  void heartbeat() {
    try {
      if (ssh.nodes().heartbeat(NAME, LABELS).isEmpty()) {
        log.warn("{} was no longer in the node registry; enrolling it again", NAME);
        register();
      }
      if (hostKey.renewIfDue()) {
        log.info("{}: host certificate renewed until {}", NAME, hostKey.certificate().validBefore());
      }
    } catch (RuntimeException e) {
      log.warn("{}: heartbeat failed, will retry: {}", NAME, e.getMessage());
    }
  }

  /**
   * Enrolls the node as a join would. Nothing ever authenticates as it (it heartbeats in-process), so the credential
   * is a random secret that is hashed and forgotten.
   */
  private void register() {
    Instant now = clock.instant();
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    ssh.nodes().register(new NodeRecord(NAME, LABELS, address(), hostKey.fingerprint(), sha256Hex(secret), now, now));
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** Stops listening and ends every session; the registry keeps the node, which shows offline until the next start. */
  @Override
  public void close() {
    heartbeats.shutdownNow();
    try {
      sshd.stop(true);
    } catch (IOException e) {
      log.warn("{}: error while stopping: {}", NAME, e.getMessage());
    }
  }
}
