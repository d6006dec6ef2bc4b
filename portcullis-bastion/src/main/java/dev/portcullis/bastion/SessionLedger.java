package dev.portcullis.bastion;

import java.time.Instant;
import java.util.List;

/**
 * Where the bastion keeps the record of every session it relays, and where admins leave kill requests for it.
 * Implementations write through to durable storage: a session that started is listed even after a crash.
 */
public interface SessionLedger {

  /**
   * A session the bastion relays.
   *
   * @param id the session id, {@code [A-Za-z0-9-]{1,64}}, unique and ordered by start
   * @param user the Portcullis user name
   * @param provider the user's identity provider
   * @param node the node's name
   * @param login the login on the node
   * @param clientAddress where the user connected from
   * @param kind {@code shell}, {@code exec} or {@code subsystem}
   * @param started when it started
   * @param recorded whether a recording is kept
   */
  record Start(String id, String user, String provider, String node, String login, String clientAddress, String kind,
      Instant started, boolean recorded) {}

  /** An admin's request to end a live session. */
  record KillRequest(String sessionId, String requestedBy, String reason) {}

  /** A new, unique session id ordered by start time. */
  String newId();

  void started(Start start);

  void ended(String id, Instant at, String reason);

  /** The pending kill requests; polled about every second. */
  List<KillRequest> killRequests();

  /** Forgets a kill request once it has been carried out (or cannot be: the session is gone). */
  void clearKill(String sessionId);

  /** Marks every session this bastion left live (a crash) as ended; returns their ids. */
  List<String> endOrphans(Instant at, String reason);
}
