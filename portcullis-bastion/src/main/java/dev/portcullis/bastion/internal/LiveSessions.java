package dev.portcullis.bastion.internal;

import dev.portcullis.bastion.SessionLedger;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions this bastion relays right now, and the watch that ends them: when their user is locked, when an
 * admin asks ({@code portcullis sessions kill}), and when the certificate they came with expires.
 */
final class LiveSessions {
  private static final Logger log = LoggerFactory.getLogger(LiveSessions.class);

  /** A session that can be ended from outside. */
  interface Live {
    String username();

    Instant validBefore();

    /** Tells the user why and closes their connection. */
    void terminate(String reason);
  }

  private final Map<String, Live> live = new ConcurrentHashMap<>();

  void add(String id, Live session) {
    live.put(id, session);
  }

  void remove(String id) {
    live.remove(id);
  }

  int size() {
    return live.size();
  }

  /** One round of the watch; {@code locked} says whether a user is locked now. */
  void watch(Instant now, java.util.function.Predicate<String> locked, SessionLedger ledger) {
    for (SessionLedger.KillRequest kill : ledger.killRequests()) {
      Live session = live.get(kill.sessionId());
      if (session != null) {
        log.info("ending session {} of {}: kill requested by {}", kill.sessionId(), session.username(),
            kill.requestedBy());
        session.terminate("killed by " + kill.requestedBy() + (kill.reason().isBlank() ? "" : ": " + kill.reason()));
        // Requests for sessions on another bastion stay for that one (they expire on their own).
        ledger.clearKill(kill.sessionId());
      }
    }
    live.forEach((id, session) -> {
      if (locked.test(session.username())) {
        log.info("ending session {}: user {} is locked", id, session.username());
        session.terminate("user " + session.username() + " is locked");
      } else if (!now.isBefore(session.validBefore())) {
        session.terminate("the certificate expired at " + session.validBefore() + "; run portcullis login");
      }
    });
  }
}
