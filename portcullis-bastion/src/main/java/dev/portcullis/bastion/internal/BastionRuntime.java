package dev.portcullis.bastion.internal;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.bastion.BastionServices;
import dev.portcullis.bastion.BastionSettings;
import dev.portcullis.ssh.ca.SshPublicKeys;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.server.SshServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running bastion: both listeners, the upstream client and the watch over live sessions. */
public final class BastionRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BastionRuntime.class);
  private static final java.time.Duration GRACE = java.time.Duration.ofSeconds(1);
  private static final org.apache.sshd.common.AttributeRepository.AttributeKey<Instant> ENDING_SINCE =
      new org.apache.sshd.common.AttributeRepository.AttributeKey<>();

  private final BastionContext context;
  private final InnerServer inner;
  private final SshServer outer;
  private final SharedIoGroup io;
  private final ScheduledExecutorService watch;

  private BastionRuntime(BastionContext context, InnerServer inner, SshServer outer, SharedIoGroup io,
      ScheduledExecutorService watch) {
    this.context = context;
    this.inner = inner;
    this.outer = outer;
    this.io = io;
    this.watch = watch;
  }

  public static BastionRuntime start(BastionSettings settings, BastionServices services) throws IOException {
    ExecutorService background = Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name("portcullis-bastion-", 0).factory());
    // One I/O thread per core, shared by the listener and the connections to nodes (see SharedIoGroup).
    SharedIoGroup io = new SharedIoGroup(Runtime.getRuntime().availableProcessors());
    Upstream upstream = null;
    InnerServer inner = null;
    SshServer outer = null;
    BastionContext context;
    try {
      upstream = new Upstream(services, io);
      context = new BastionContext(services, upstream,
          new ParkedConnections<>(Upstream.PARKING, services.clock(), settings.nodeConnectionLinger()), new LiveSessions(),
          background);
      endOrphans(context);
      inner = BastionListeners.inner(context,
          new HostCertificates(services.hostCa(), services.clock(), SshPublicKeys.generateEd25519(services.random())));
      inner.startInProcess();
      outer = BastionListeners.outer(context, settings.listen(), settings.hostNames(), inner,
          new HostCertificates(services.hostCa(), services.clock(), SshPublicKeys.generateEd25519(services.random())));
      outer.setIoServiceFactoryFactory(io);
      outer.start();
    } catch (IOException | RuntimeException e) {
      stopQuietly(outer);
      if (inner != null) {
        shutdownQuietly(inner);
      }
      if (upstream != null) {
        upstream.close();
      }
      io.close();
      background.shutdownNow();
      throw e;
    }
    ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("portcullis-bastion-watch").factory());
    BastionRuntime runtime = new BastionRuntime(context, inner, outer, io, watch);
    long every = settings.watchInterval().toMillis();
    watch.scheduleWithFixedDelay(runtime::watchOnce, every, every, TimeUnit.MILLISECONDS);
    log.info("SSH bastion listening on {}:{} as {}", settings.listen().getHostString(), outer.getPort(),
        settings.hostNames());
    return runtime;
  }

  public int port() {
    return outer.getPort();
  }

  public int liveSessions() {
    return context.live.size();
  }

  /**
   * Ends sessions of locked users, killed sessions and expired certificates; drops locked users' idle hops and
   * closes parked node connections whose time is up or whose user is locked.
   */
  void watchOnce() {
    try {
      Instant now = context.services.clock().instant();
      context.live.watch(now, context.services.lockedUsers()::isLocked, context.services.sessions());
      context.parked.sweep(context.services.lockedUsers()::isLocked);
      for (var session : outer.getActiveSessions()) {
        BastionUser user = session.getAttribute(OuterAuthenticator.USER);
        boolean ends = user != null && (context.services.lockedUsers().isLocked(user.username())
            || !now.isBefore(user.validBefore()));
        if (!ends) {
          continue;
        }
        // Live sessions on it were just told why and are closing; the connection goes a round later.
        Instant since = session.computeAttributeIfAbsent(ENDING_SINCE, key -> now);
        if (!now.isBefore(since.plus(GRACE))) {
          session.close(false);
        }
      }
    } catch (RuntimeException e) {
      log.warn("bastion session watch failed, will retry: {}", e.getMessage());
    }
  }

  /** Sessions a crash left open are ended now, and say so in the audit log. */
  private static void endOrphans(BastionContext context) {
    Instant now = context.services.clock().instant();
    for (String id : context.services.sessions().endOrphans(now, "bastion restarted")) {
      context.services.audit().event(AuditCode.SSH_SESSION_ENDED).resource("bastion")
          .reasons(List.of("bastion restarted")).details(Map.of("session", id)).record();
    }
  }

  @Override
  public void close() {
    watch.shutdownNow();
    for (var session : outer.getActiveSessions()) {
      session.close(true);
    }
    stopQuietly(outer);
    shutdownQuietly(inner);
    context.parked.close();
    context.upstream.close();
    io.close();
    context.background.shutdown();
    try {
      context.background.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void shutdownQuietly(InnerServer server) {
    try {
      server.shutdown();
    } catch (IOException | RuntimeException e) {
      log.debug("stopping the inner SSH server: {}", e.getMessage());
    }
  }

  private static void stopQuietly(SshServer server) {
    if (server != null) {
      try {
        server.stop(true);
      } catch (IOException | RuntimeException e) {
        log.debug("stopping an SSH listener: {}", e.getMessage());
      }
    }
  }
}
