package dev.portcullis.server;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.JsonLinesAuditSink;
import dev.portcullis.config.ConfigLoader;
import dev.portcullis.config.ConfigWatcher;
import dev.portcullis.config.PortcullisConfig;
import dev.portcullis.crypto.IdentityAssertions;
import dev.portcullis.crypto.KeyRing;
import dev.portcullis.crypto.TlsMaterial;
import dev.portcullis.http.api.ApiEndpoints;
import dev.portcullis.http.api.SshServices;
import dev.portcullis.http.auth.AccessGate;
import dev.portcullis.http.auth.GateServices;
import dev.portcullis.http.auth.GateSnapshot;
import dev.portcullis.http.server.Cidr;
import dev.portcullis.http.server.ProxyServer;
import dev.portcullis.http.server.ProxyServerSettings;
import dev.portcullis.http.server.ServerTls;
import dev.portcullis.localauth.LocalAuthenticator;
import dev.portcullis.policy.PolicySnapshot;
import dev.portcullis.locks.LockedUsers;
import dev.portcullis.locks.Locks;
import dev.portcullis.session.SessionCookies;
import dev.portcullis.session.SessionRefs;
import dev.portcullis.session.SessionService;
import dev.portcullis.store.jdbc.Storage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Portcullis: storage, keys, audit, sessions, the gate and its HTTPS listener, wired from
 * a configuration file that is watched and reloaded while it runs.
 */
public final class PortcullisServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PortcullisServer.class);
  private static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(2);
  private static final Duration CONFIG_POLL = Duration.ofSeconds(1);

  private final List<AutoCloseable> resources;
  private final ProxyServer proxy;
  private final PortcullisConfig config;
  private final AuditLog audit;
  private final Storage storage;
  private final SshServices ssh;
  private final AccessGate gate;

  private PortcullisServer(List<AutoCloseable> resources, ProxyServer proxy, PortcullisConfig config, AuditLog audit,
      Storage storage, SshServices ssh, AccessGate gate) {
    this.resources = resources;
    this.proxy = proxy;
    this.config = config;
    this.audit = audit;
    this.storage = storage;
    this.ssh = ssh;
    this.gate = gate;
  }

  /** The SSH certificate authorities and records, for admin tools and tests. */
  public SshServices ssh() {
    return ssh;
  }

  /** Loads the configuration and starts serving; throws with a clear message when it cannot. */
  public static PortcullisServer start(Path configFile, InstantSource clock, SecureRandom random) throws IOException {
    PortcullisConfig config = ConfigLoader.load(configFile);
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      Storage storage = StorageAccess.open(config, clock);
      resources.add(storage);
      KeyRing keys = KeyRing.loadOrCreate(storage.store(), random);
      JsonLinesAuditSink auditFile = new JsonLinesAuditSink(config.audit().file());
      resources.add(auditFile);
      AuditLog audit = new AuditLog(storage.audit(), Optional.of(auditFile), clock, random);
      resources.add(audit);
      SessionService sessions = new SessionService(storage.store(), config.session().idleTimeout(),
          config.session().absoluteTimeout(), clock, random,
          expired -> audit.event(AuditCode.SESSION_EXPIRED)
              .user(expired.identity().username()).provider(expired.identity().provider())
              .details(Map.of("session", SessionRefs.of(expired.id()))).record());
      resources.add(sessions);
      IdentityAssertions assertions = new IdentityAssertions(keys.assertionSigningKey(), List.of(),
          config.server().publicUrl().toString(), ASSERTION_LIFETIME, clock);
      ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
      resources.add(blocking::shutdownNow);
      Locks locks = new Locks(storage.store(), clock);
      LockedUsers lockedUsers = new LockedUsers(locks);
      resources.add(lockedUsers);
      GateServices services = new GateServices(storage.store(), sessions, new SessionCookies(keys.sessionHmacKey()),
          assertions, new LocalAuthenticator(storage.store(), clock), audit, lockedUsers, clock, random, blocking);
      SshServices ssh = SshWiring.open(config, storage.store(), locks, clock, random);
      AccessGate gate = new AccessGate(GateSnapshot.build(config, clock), services, new ApiEndpoints(services, ssh));

      TlsMaterial tls = ServerTlsMaterial.load(config, clock, random);
      String cookie = config.session().cookieName();
      ProxyServerSettings settings = ProxyServerSettings.builder(
              new InetSocketAddress(config.server().listen().host(), config.server().listen().port()))
          .tls(new ServerTls(tls.chain(), tls.privateKey()))
          .strippedCookieNames(Set.of(cookie, cookie + "_handshake", cookie + "_csrf", cookie + "_state"))
          .trustedProxies(config.server().trustedProxies().stream()
              .map(cidr -> new Cidr(cidr.network(), cidr.prefixLength())).toList())
          .build();
      ProxyServer proxy = ProxyServer.start(settings, gate);
      resources.add(proxy);
      resources.addAll(BastionWiring.start(config, storage.store(), ssh, () -> gate.snapshot().policy().snapshot(),
          lockedUsers, audit, clock, random));

      resources.add(ConfigWatcher.start(configFile, CONFIG_POLL, result -> onReload(result, gate, audit, clock, configFile)));
      ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("portcullis-housekeeping").factory());
      housekeeping.scheduleWithFixedDelay(() -> sweep(sessions, storage), 30, 60, TimeUnit.SECONDS);
      resources.add(housekeeping::shutdownNow);
      log.info("Portcullis is listening on {} (public URL {}); {}", proxy.port(), config.server().publicUrl(),
          SshWiring.describe(ssh));
      return new PortcullisServer(resources, proxy, config, audit, storage, ssh, gate);
    } catch (IOException | RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  public int port() {
    return proxy.port();
  }

  public URI publicUrl() {
    return config.server().publicUrl();
  }

  /** The configuration the server started with; {@link #policy()} follows reloads. */
  public PortcullisConfig config() {
    return config;
  }

  /**
   * The policy in force now: the latest configuration that reloaded successfully. Read it once per decision,
   * as the gate does, so one decision sees one version.
   */
  public PolicySnapshot policy() {
    return gate.snapshot().policy().snapshot();
  }

  public AuditLog audit() {
    return audit;
  }

  public Storage storage() {
    return storage;
  }

  private static void onReload(ConfigWatcher.Result result, AccessGate gate, AuditLog audit, InstantSource clock, Path file) {
    switch (result) {
      case ConfigWatcher.Reloaded reloaded -> {
        try {
          gate.update(GateSnapshot.build(reloaded.config(), clock));
          log.info("configuration reloaded from {}", file);
          audit.event(AuditCode.CONFIG_RELOADED).details(Map.of("file", file.toString())).record();
        } catch (RuntimeException e) {
          log.warn("configuration reload rejected, keeping the running configuration: {}", e.getMessage());
          audit.event(AuditCode.CONFIG_RELOAD_FAILED).reasons(List.of(String.valueOf(e.getMessage())))
              .details(Map.of("file", file.toString())).record();
        }
      }
      case ConfigWatcher.Rejected rejected -> {
        log.warn("configuration reload rejected, keeping the running configuration: {}", rejected.error().getMessage());
        audit.event(AuditCode.CONFIG_RELOAD_FAILED).reasons(List.of(rejected.error().getMessage()))
            .details(Map.of("file", file.toString())).record();
      }
    }
  }

  private static void sweep(SessionService sessions, Storage storage) {
    try {
      sessions.sweepExpired();
      storage.store().deleteExpired();
    } catch (RuntimeException e) {
      log.warn("housekeeping failed, will retry: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    closeAll(resources);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        log.warn("error while shutting down: {}", e.getMessage());
      }
    }
  }
}
