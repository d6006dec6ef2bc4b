package dev.portcullis.http.auth;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.crypto.IdentityAssertions;
import dev.portcullis.http.server.ClientRequest;
import dev.portcullis.http.server.SimpleResponse;
import dev.portcullis.http.server.internal.PathNormalizer;
import dev.portcullis.http.web.Forms;
import dev.portcullis.identity.Identity;
import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.Decision;
import dev.portcullis.policy.Reason;
import dev.portcullis.session.Session;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /.portcullis/verify}: Portcullis as the authorizer behind another proxy's subrequest (nginx
 * {@code auth_request}, Traefik ForwardAuth, ingress-nginx {@code auth-url}).
 *
 * <p>The original request arrives in {@code X-Forwarded-Host}, {@code X-Forwarded-Uri} and
 * {@code X-Forwarded-Method}, from a peer in {@code server.trusted_proxies}. The answer is 200 with identity headers, 401 (sign-in needed, with
 * {@code X-Portcullis-Sign-In} naming where to send the browser) or 403.
 */
final class ForwardAuthEndpoint {
  private final GateServices services;
  private final SessionLookup sessions;

  ForwardAuthEndpoint(GateServices services, SessionLookup sessions) {
    this.services = services;
    this.sessions = sessions;
  }

  SimpleResponse verify(ClientRequest request, GateSnapshot snapshot) {
    // The X-Forwarded-* headers name the request being authorized; only a proxy we trust may say what it was.
    var peer = request.remoteAddress().getAddress();
    if (snapshot.config().server().trustedProxies().stream().noneMatch(cidr -> cidr.contains(peer))) {
      return SimpleResponse.text(403, "Forward-auth answers only proxies listed in server.trusted_proxies.");
    }
    Optional<String> host = request.header("x-forwarded-host").map(ForwardAuthEndpoint::hostOnly);
    Optional<String> uri = request.header("x-forwarded-uri");
    if (host.isEmpty() || uri.isEmpty() || !uri.get().startsWith("/")) {
      return SimpleResponse.text(400, "Forward-auth needs X-Forwarded-Host and X-Forwarded-Uri.");
    }
    String method = request.header("x-forwarded-method").orElse("GET").toUpperCase(Locale.ROOT);
    String path;
    try {
      path = PathNormalizer.normalize(uri.get()).path();
    } catch (RuntimeException e) {
      return SimpleResponse.text(400, "Invalid X-Forwarded-Uri path.");
    }
    Optional<AppRoute> route = snapshot.router().find(host.get(), path);
    if (route.isEmpty()) {
      return SimpleResponse.text(403, "No app is configured for " + host.get() + ".");
    }
    Optional<Session> session = sessions.sessionId(request, snapshot, host.get()).flatMap(services.sessions()::find);
    Optional<Identity> identity = session.map(Session::identity);
    Decision decision = snapshot.policy().decide(new AccessRequest(identity, route.get().resource(), method, path,
        request.clientAddress(), services.clock().instant()));
    return switch (decision) {
      case Decision.Allow allow -> allowed(route.get(), session, allow);
      case Decision.Deny deny when session.isEmpty() && deny.reasons().stream().anyMatch(r -> r.code().equals("user-unauthenticated")) ->
          SimpleResponse.text(401, "Sign-in required.")
              .withHeader("X-Portcullis-Sign-In", snapshot.appUrl(host.get(), "/.portcullis/start?return="
                  + Forms.encode(snapshot.appUrl(host.get(), uri.get()))));
      case Decision.Deny deny -> denied(request, route.get(), identity, deny, method, path);
    };
  }

  private SimpleResponse allowed(AppRoute route, Optional<Session> session, Decision.Allow allow) {
    SimpleResponse ok = SimpleResponse.text(200, "OK");
    if (session.isEmpty()) {
      return ok;
    }
    Identity identity = session.get().identity();
    String assertion = services.assertions().assertionFor(new IdentityAssertions.Subject(session.get().id(),
        identity.subject(), identity.username(), identity.email(), identity.groups(), allow.roles()), route.config().host());
    return ok.withHeader("X-Portcullis-User", headerSafe(identity.username()))
        .withHeader("X-Portcullis-Email", headerSafe(identity.email()))
        .withHeader("X-Portcullis-Groups", headerSafe(String.join(",", identity.groups())))
        .withHeader("X-Portcullis-Roles", headerSafe(String.join(",", allow.roles())))
        .withHeader(AccessGate.ASSERTION_HEADER, assertion);
  }

  private SimpleResponse denied(ClientRequest request, AppRoute route, Optional<Identity> identity, Decision.Deny deny,
      String method, String path) {
    services.audit().event(AuditCode.ACCESS_DENIED)
        .user(identity.map(Identity::username).orElse("")).provider(identity.map(Identity::provider).orElse(""))
        .resource("app:" + route.name())
        .reasons(deny.reasons().stream().map(r -> r.code() + ": " + r.detail()).toList())
        .clientAddress(request.clientAddress().getHostAddress())
        .details(Map.of("method", method, "path", path, "via", "forward-auth"))
        .record();
    List<String> codes = deny.reasons().stream().map(Reason::code).toList();
    return SimpleResponse.text(identity.isPresent() ? 403 : 401, "Access denied: " + String.join(", ", codes));
  }

  private static String hostOnly(String hostHeader) {
    String host = hostHeader.strip().toLowerCase(Locale.ROOT);
    int colon = host.lastIndexOf(':');
    return colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host;
  }

  /** Identity facts come from the identity provider; nothing in them may split a header. */
  private static String headerSafe(String value) {
    return value.chars().anyMatch(c -> c < 0x20 || c == 0x7f) ? "" : value;
  }
}
