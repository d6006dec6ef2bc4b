package dev.portcullis.bastion.sessions;

import static java.util.Objects.requireNonNull;

import dev.portcullis.bastion.SessionLedger;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The bastion's session ledger in the store ({@link SshSessions}): every replica sees every record and kill
 * request. {@code bastionId} names this bastion, so that after a crash it ends only the sessions it ran.
 */
public final class StoreSessionLedger implements SessionLedger {
  private final SshSessions sessions;
  private final String bastionId;
  private final InstantSource clock;
  private final SecureRandom random;

  public StoreSessionLedger(SshSessions sessions, String bastionId, InstantSource clock, SecureRandom random) {
    this.sessions = requireNonNull(sessions, "sessions");
    this.bastionId = requireNonNull(bastionId, "bastionId");
    this.clock = requireNonNull(clock, "clock");
    this.random = requireNonNull(random, "random");
  }

  @Override
  public String newId() {
    return SshSessions.newId(clock, random);
  }

  @Override
  public void started(Start start) {
    sessions.start(SshSessionRecord.ofLive(start.id(), start.user(), start.provider(), start.node(), start.login(),
        start.clientAddress(), start.kind(), start.started(), start.recorded(), bastionId));
  }

  @Override
  public void ended(String id, Instant at, String reason) {
    sessions.end(id, at, reason);
  }

  @Override
  public List<SessionLedger.KillRequest> killRequests() {
    return sessions.killRequests().stream()
        .map(kill -> new SessionLedger.KillRequest(kill.sessionId(), kill.requestedBy(), kill.reason())).toList();
  }

  @Override
  public void clearKill(String sessionId) {
    sessions.clearKill(sessionId);
  }

  @Override
  public List<String> endOrphans(Instant at, String reason) {
    List<String> ended = new ArrayList<>();
    for (SshSessionRecord live : sessions.live()) {
      if (live.bastionId().equals(bastionId)) {
        sessions.end(live.id(), at, reason);
        ended.add(live.id());
      }
    }
    return ended;
  }
}
