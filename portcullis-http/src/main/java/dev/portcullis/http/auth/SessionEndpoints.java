package dev.portcullis.http.auth;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.http.server.ClientRequest;
import dev.portcullis.http.server.SimpleResponse;
import dev.portcullis.http.web.Cookies;
import dev.portcullis.http.web.Html;
import dev.portcullis.oidc.OidcException;
import dev.portcullis.session.Session;
import dev.portcullis.session.SessionRefs;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** Signing out (here and at the identity provider when it supports it) and the sign-in host's home page. */
final class SessionEndpoints {
  private final GateServices services;
  private final SessionLookup sessions;

  SessionEndpoints(GateServices services, SessionLookup sessions) {
    this.services = services;
    this.sessions = sessions;
  }

  /** {@code GET /.portcullis/logout}: a confirmation page, so that a link alone cannot sign anyone out. */
  SimpleResponse confirmLogout(GateSnapshot snapshot) {
    return SimpleResponse.html(200, Html.page("Sign out",
        "<form method=\"post\" action=\"/.portcullis/logout\"><p>Sign out of every app?</p>"
            + "<button type=\"submit\" id=\"logout\">Sign out</button></form>"));
  }

  /**
   * {@code POST /.portcullis/logout}: ends the session everywhere (every host's cookie names the same
   * server-side session), clears this host's cookie, then continues at the identity provider's logout.
   */
  SimpleResponse logout(ClientRequest request, GateSnapshot snapshot) {
    Optional<Session> ended = sessions.sessionId(request, snapshot).flatMap(services.sessions()::revoke);
    String signedOut = snapshot.authUrl("/.portcullis/signed_out");
    String next = signedOut;
    if (ended.isPresent()) {
      Session session = ended.get();
      services.assertions().forgetSession(session.id());
      services.audit().event(AuditCode.LOGOUT)
          .user(session.identity().username()).provider(session.identity().provider())
          .clientAddress(request.clientAddress().getHostAddress())
          .details(Map.of("session", SessionRefs.of(session.id())))
          .record();
      next = providerLogout(snapshot, session, signedOut).orElse(signedOut);
    }
    return HandshakeEndpoints.redirect(next)
        .withSetCookie(Cookies.clear(snapshot.config().session().cookieName(), snapshot.secureCookies()));
  }

  SimpleResponse signedOut(GateSnapshot snapshot) {
    return SimpleResponse.html(200, Html.page("Signed out",
        "<p id=\"signed-out\">You are signed out.</p><a class=\"button\" href=\""
            + Html.escape(snapshot.authUrl("/.portcullis/sign_in")) + "\">Sign in again</a>"))
        .withSetCookie(Cookies.clear(snapshot.config().session().cookieName(), snapshot.secureCookies()));
  }

  /** {@code GET /} on the sign-in host: who you are and the apps you may open. */
  SimpleResponse landing(ClientRequest request, GateSnapshot snapshot) {
    Optional<Session> session = sessions.find(request, snapshot);
    if (session.isEmpty()) {
      return HandshakeEndpoints.redirect(snapshot.authUrl("/.portcullis/sign_in"));
    }
    var identity = session.get().identity();
    StringBuilder apps = new StringBuilder("<ul id=\"apps\">");
    for (AppRoute route : snapshot.router().all()) {
      var decision = snapshot.policy().decide(new dev.portcullis.policy.AccessRequest(
          Optional.of(identity), route.resource(), "GET", route.config().pathPrefix(), request.clientAddress(),
          services.clock().instant()));
      if (decision instanceof dev.portcullis.policy.Decision.Allow) {
        String url = snapshot.appUrl(route.config().host(), route.config().pathPrefix());
        apps.append("<li><a href=\"").append(Html.escape(url)).append("\">").append(Html.escape(route.name()))
            .append("</a></li>");
      }
    }
    apps.append("</ul>");
    return SimpleResponse.html(200, Html.page("Portcullis",
        "<p>Signed in as <b id=\"user\">" + Html.escape(identity.username()) + "</b> via "
            + Html.escape(identity.provider()) + ".</p><p>Your apps:</p>" + apps
            + "<form method=\"post\" action=\"/.portcullis/logout\"><button type=\"submit\" id=\"logout\">Sign out</button></form>"))
        ;
  }

  private Optional<String> providerLogout(GateSnapshot snapshot, Session session, String signedOut) {
    if (!(snapshot.signInMethods().get(session.identity().provider()) instanceof SignInMethod.Oidc oidc)
        || session.tokens().idToken().isEmpty()) {
      return Optional.empty();
    }
    try {
      return oidc.relyingParty()
          .endSessionUrl(session.tokens().idToken(), URI.create(signedOut), services.randomToken())
          .map(URI::toString);
    } catch (OidcException e) {
      // The local session is over either way; the provider's own session may outlive it.
      return Optional.empty();
    }
  }
}
