package dev.portcullis.http.auth;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.identity.Identity;
import dev.portcullis.oidc.OidcException;
import dev.portcullis.oidc.OidcLogin;
import dev.portcullis.oidc.OidcTokens;
import dev.portcullis.session.Session;
import dev.portcullis.session.SessionRefs;
import dev.portcullis.session.SessionTokens;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps OIDC sessions in step with the identity provider: once the provider's access token has
 * expired, the refresh token renews the user's facts (groups, email) in the background. A refused
 * refresh (user disabled, token revoked, provider unreachable) ends the session: fail closed.
 */
final class SessionRefresher {
  private final GateServices services;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  SessionRefresher(GateServices services) {
    this.services = services;
  }

  /** Starts a refresh when one is due; returns at once and never blocks the request. */
  void refreshIfDue(Session session, GateSnapshot snapshot) {
    Optional<Instant> due = session.tokens().accessTokenExpiresAt();
    if (session.tokens().refreshToken().isEmpty() || due.isEmpty() || services.clock().instant().isBefore(due.get())) {
      return;
    }
    if (!(snapshot.signInMethods().get(session.identity().provider()) instanceof SignInMethod.Oidc oidc)) {
      return;
    }
    if (inFlight.add(session.id())) {
      services.blocking().execute(() -> {
        try {
          refresh(session, oidc);
        } finally {
          inFlight.remove(session.id());
        }
      });
    }
  }

  private void refresh(Session session, SignInMethod.Oidc oidc) {
    Identity identity = session.identity();
    try {
      OidcLogin renewed = oidc.relyingParty().refresh(asLogin(session));
      Identity updated = new Identity(renewed.username(), SignInEndpoints.trustedEmail(renewed, oidc), renewed.groups(),
          renewed.claims(), identity.provider(), renewed.subject());
      services.sessions().update(session, updated, new SessionTokens(
          renewed.tokens().idToken(), renewed.tokens().refreshToken().or(() -> session.tokens().refreshToken()),
          renewed.tokens().accessTokenExpiresAt()));
      services.assertions().forgetSession(session.id());
      services.audit().event(AuditCode.SESSION_REFRESHED).user(updated.username()).provider(updated.provider())
          .details(Map.of("session", SessionRefs.of(session.id()), "groups", String.join(",", updated.groups())))
          .record();
    } catch (OidcException | RuntimeException e) {
      String reason = e instanceof OidcException oidcFailure ? oidcFailure.code() : "refresh-error";
      services.sessions().revoke(session.id());
      services.assertions().forgetSession(session.id());
      services.audit().event(AuditCode.SESSION_EXPIRED).user(identity.username()).provider(identity.provider())
          .reasons(List.of("refresh-failed: " + reason))
          .details(Map.of("session", SessionRefs.of(session.id())))
          .record();
    }
  }

  private static OidcLogin asLogin(Session session) {
    Identity identity = session.identity();
    Map<String, Object> claims = identity.claims();
    String issuer = String.valueOf(claims.getOrDefault("iss", ""));
    boolean emailVerified = Boolean.TRUE.equals(claims.get("email_verified"));
    Optional<String> email = identity.email().isEmpty() ? Optional.empty() : Optional.of(identity.email());
    return new OidcLogin(identity.provider(), issuer, identity.subject(), identity.username(), email, emailVerified,
        identity.groups(), claims, new OidcTokens(session.tokens().idToken(), "", session.tokens().refreshToken(),
            session.tokens().accessTokenExpiresAt()));
  }
}
