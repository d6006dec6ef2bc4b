package dev.portcullis.http.auth;

import static java.util.Objects.requireNonNull;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.crypto.IdentityAssertions;
import dev.portcullis.localauth.LocalAuthenticator;
import dev.portcullis.locks.LockedUsers;
import dev.portcullis.session.SessionCookies;
import dev.portcullis.session.SessionService;
import dev.portcullis.store.Store;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;

/**
 * The long-lived services the gate works with; unlike {@link GateSnapshot}, these survive config
 * reloads.
 *
 * @param blocking runs work that may block (store, password hashing, calls to identity providers) off
 *     the network threads
 */
public record GateServices(
    Store store,
    SessionService sessions,
    SessionCookies cookies,
    IdentityAssertions assertions,
    LocalAuthenticator localAuthenticator,
    AuditLog audit,
    LockedUsers lockedUsers,
    InstantSource clock,
    SecureRandom random,
    ExecutorService blocking) {

  public GateServices {
    requireNonNull(store, "store");
    requireNonNull(sessions, "sessions");
    requireNonNull(cookies, "cookies");
    requireNonNull(assertions, "assertions");
    requireNonNull(localAuthenticator, "localAuthenticator");
    requireNonNull(audit, "audit");
    requireNonNull(lockedUsers, "lockedUsers");
    requireNonNull(clock, "clock");
    requireNonNull(random, "random");
    requireNonNull(blocking, "blocking");
  }

  String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
