package dev.portcullis.node.agent;

import dev.portcullis.node.accounts.AccountReconciler;
import dev.portcullis.node.accounts.DesiredAccount;
import dev.portcullis.node.accounts.ReconcileReport;
import dev.portcullis.node.agent.internal.ApiClient;
import dev.portcullis.node.agent.internal.ApiException;
import dev.portcullis.node.agent.internal.FileChanges;
import dev.portcullis.node.agent.internal.ProxyTls;
import dev.portcullis.node.agent.internal.Sshd;
import dev.portcullis.node.agent.internal.SshKeyLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code portcullis node run}, the agent daemon: heartbeats the node's labels, then makes the host match the
 * answer: local accounts and sudo through {@link AccountReconciler}, the user CA keys sshd trusts, and a renewed
 * host certificate ({@code sshd -t} first, then a reload; the previous files come back if sshd rejects the new
 * ones). It keeps going whatever fails, backing off while failures repeat.
 */
public final class NodeAgent {

  private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
  /** The longest wait between attempts while failures repeat. */
  public static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  /** Waits between heartbeats; tests replace it to run the loop without waiting. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final Path stateDir;
  private final AccountReconciler reconciler;
  private final Sshd sshd;
  /** Kept across heartbeats while the proxy and pinned key stay the same: each client holds a connection pool. */
  private ApiClient client;
  private NodeState clientFor;

  /**
   * @param stateDir   where {@code node.json} is; it is read again at every heartbeat, so a new join takes effect
   * @param control    how to check and reload sshd
   * @param reconciler what manages local accounts ({@link AccountReconciler#forThisHost()} in production)
   */
  public NodeAgent(Path stateDir, SshdControl control, AccountReconciler reconciler) {
    this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    this.sshd = new Sshd(Objects.requireNonNull(control, "control"));
  }

  /**
   * Heartbeats until the thread is interrupted: every {@code interval} while all goes well, and after a failure
   * twice the previous wait, up to {@link #MAX_BACKOFF}.
   *
   * @throws InterruptedException when interrupted, which is how the agent stops
   */
  public void run(Duration interval, Sleeper sleeper) throws InterruptedException {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
    }
    int failures = 0;
    while (!Thread.currentThread().isInterrupted()) {
      try {
        HeartbeatResult result = heartbeat();
        failures = result.ok() ? 0 : failures + 1;
        if (!result.ok()) {
          log.warn("Heartbeat: {}", result.summary());
        } else if (result.changed()) {
          log.info("Heartbeat: {}", result.summary());
        } else {
          log.debug("Heartbeat: {}", result.summary());
        }
      } catch (NodeAgentException e) {
        failures++;
        log.warn("Heartbeat failed ({} in a row): {}", failures, e.getMessage());
      } catch (RuntimeException e) {
        // A bug, not the environment: keep the trace, and keep the agent alive.
        failures++;
        log.error("Heartbeat failed ({} in a row)", failures, e);
      }
      sleeper.sleep(backoff(interval, failures));
    }
    throw new InterruptedException("node agent stopped");
  }

  /** The wait after {@code failures} failed heartbeats in a row: the interval, doubled per failure, capped. */
  public static Duration backoff(Duration interval, int failures) {
    Duration wait = interval;
    for (int i = 0; i < failures && wait.compareTo(MAX_BACKOFF) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    if (failures == 0 || wait.compareTo(MAX_BACKOFF) <= 0) {
      return wait;
    }
    return interval.compareTo(MAX_BACKOFF) > 0 ? interval : MAX_BACKOFF;
  }

  /**
   * One heartbeat and what follows from its answer.
   *
   * @throws NodeAgentException if there is no usable answer: no state, server unreachable or refusing, or an
   *                            answer that is malformed (then nothing on the host changes)
   */
  public HeartbeatResult heartbeat() throws NodeAgentException {
    NodeState state = NodeState.read(stateDir);
    ApiClient.HeartbeatResponse response;
    try {
      response = client(state).heartbeat(state.credential(), state.labels(), CALL_TIMEOUT);
    } catch (ApiException e) {
      throw new NodeAgentException("the server refused the heartbeat (" + e.getMessage() + ")"
          + (e.status() == 401 ? ": it does not know this node's credential; was the node removed? Join again" : ""),
          e);
    } catch (IOException e) {
      throw new NodeAgentException("heartbeat to " + state.proxy() + " failed: " + e.getMessage(), e);
    }
    // Check the whole answer before acting on any of it; a missing account list must never read as "none".
    Set<DesiredAccount> accounts = new HashSet<>();
    List<String> userCaKeys;
    Optional<SshKeyLines.HostCertificate> certificate;
    try {
      if (response == null || response.accounts() == null) {
        throw new IllegalArgumentException("accounts: missing (expected: a list, possibly empty)");
      }
      for (ApiClient.Account account : response.accounts()) {
        if (account == null || account.login() == null) {
          throw new IllegalArgumentException("accounts: an entry without a login");
        }
        accounts.add(new DesiredAccount(account.login(), account.sudo()));
      }
      userCaKeys = SshKeyLines.userCaKeys(response.sshUserCa());
      certificate = response.hostCertificate() == null ? Optional.empty() : Optional.of(SshKeyLines.hostCertificate(
          response.hostCertificate(), SshKeyLines.readHostKey(state.paths().hostPublicKey())));
    } catch (IllegalArgumentException | IOException e) {
      throw new NodeAgentException("the server's heartbeat answer is unusable (" + e.getMessage() + "); nothing"
          + " was changed", e);
    }

    List<String> problems = new ArrayList<>();
    SshdUpdate update = updateSshd(state.paths(), userCaKeys, certificate, problems);
    Optional<ReconcileReport> report = Optional.empty();
    try {
      report = Optional.of(reconciler.reconcile(accounts));
    } catch (IOException | RuntimeException e) {
      problems.add("reconciling local accounts failed: " + e.getMessage());
    }
    return new HeartbeatResult(report, update.userCaKeys(), update.hostCertificate(), update.reload(), problems);
  }

  private synchronized ApiClient client(NodeState state) {
    if (client == null || !clientFor.proxy().equals(state.proxy()) || !clientFor.tlsPin().equals(state.tlsPin())) {
      ProxyTls tls = state.tlsPin().map(ProxyTls::pinned).orElseGet(ProxyTls::verified);
      client = new ApiClient(state.proxy(), tls, CONNECT_TIMEOUT);
      clientFor = state;
    }
    return client;
  }

  private record SshdUpdate(Optional<Integer> userCaKeys, Optional<Instant> hostCertificate, Optional<String> reload) {
    static final SshdUpdate NONE = new SshdUpdate(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Rewrites the CA keys and host certificate that differ, then checks and reloads sshd, or puts them back. */
  private SshdUpdate updateSshd(AgentPaths paths, List<String> userCaKeys,
      Optional<SshKeyLines.HostCertificate> certificate, List<String> problems) {
    FileChanges changes = new FileChanges();
    boolean caChanged;
    boolean certificateChanged = false;
    try {
      caChanged = writeIfDifferent(changes, paths.userCaKeys(), SshKeyLines.userCaFile(userCaKeys));
      if (certificate.isPresent()) {
        certificateChanged = writeIfDifferent(changes, paths.hostCertificate(), certificate.get().line() + "\n");
      }
      if (!changes.changed()) {
        return SshdUpdate.NONE;
      }
      Optional<String> rejected = sshd.test(paths.sshdConfig());
      if (rejected.isPresent()) {
        changes.restore();
        problems.add("sshd -t rejected the new CA keys or host certificate (" + rejected.get() + "); the previous"
            + " files were restored");
        return SshdUpdate.NONE;
      }
    } catch (IOException e) {
      problems.add("updating sshd's files failed: " + e.getMessage() + restore(changes));
      return SshdUpdate.NONE;
    }
    Optional<String> reloaded = Optional.empty();
    try {
      reloaded = sshd.reload();
    } catch (IOException e) {
      problems.add("reloading sshd failed: " + e.getMessage());
    }
    return new SshdUpdate(caChanged ? Optional.of(userCaKeys.size()) : Optional.empty(),
        certificateChanged ? certificate.map(SshKeyLines.HostCertificate::validBefore) : Optional.empty(), reloaded);
  }

  /** Compares content only: the agent's files are root's and world-readable, as join wrote them. */
  private static boolean writeIfDifferent(FileChanges changes, Path path, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    try {
      if (Arrays.equals(Files.readAllBytes(path), bytes)) {
        return false;
      }
    } catch (NoSuchFileException e) {
      // Written below.
    }
    return changes.write(path, bytes, "rw-r--r--", 0, 0);
  }

  private static String restore(FileChanges changes) {
    try {
      changes.restore();
      return "; the previous files were restored";
    } catch (IOException e) {
      return "; restoring the previous files failed too: " + e.getMessage();
    }
  }
}
