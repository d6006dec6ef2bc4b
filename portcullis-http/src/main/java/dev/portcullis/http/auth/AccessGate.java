package dev.portcullis.http.auth;

import static java.util.Objects.requireNonNull;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.crypto.IdentityAssertions;
import dev.portcullis.http.server.ClientRequest;
import dev.portcullis.http.server.GateResult;
import dev.portcullis.http.server.RequestGate;
import dev.portcullis.http.server.SimpleResponse;
import dev.portcullis.http.web.Html;
import dev.portcullis.identity.Identity;
import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.Decision;
import dev.portcullis.policy.Reason;
import dev.portcullis.session.Session;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The request path of the web-app proxy: route to an app, find the session, ask the policy engine, and
 * forward with a signed identity assertion or answer with a sign-in redirect or a denial.
 *
 * <p>The common case (a cached session, an allowed request, a cached assertion) completes on the
 * calling network thread with no I/O. Anything that may block runs on {@link GateServices#blocking}.
 */
public final class AccessGate implements RequestGate {
  public static final String ASSERTION_HEADER = "X-Portcullis-Jwt-Assertion";
  static final String RESERVED_PREFIX = "/.portcullis/";
  static final String JWKS_PATH = "/.well-known/portcullis/jwks.json";

  private final AtomicReference<GateSnapshot> snapshot;
  private final GateServices services;
  private final Endpoints endpoints;
  private final SessionLookup sessionLookup;
  private final SessionRefresher refresher;
  private final byte[] jwks;
  private static final int MAX_CACHED_FORWARDS = 50_000;
  private final Map<ForwardKey, GateResult.Forward> forwards = new java.util.concurrent.ConcurrentHashMap<>();

  public AccessGate(GateSnapshot initial, GateServices services) {
    this(initial, services, ApiHandler.NONE);
  }

  /** A gate that also answers the programmatic API under {@value ApiHandler#PREFIX}. */
  public AccessGate(GateSnapshot initial, GateServices services, ApiHandler api) {
    this.snapshot = new AtomicReference<>(requireNonNull(initial, "initial"));
    this.services = requireNonNull(services, "services");
    this.sessionLookup = new SessionLookup(services);
    this.endpoints = new Endpoints(services, sessionLookup, api);
    this.refresher = new SessionRefresher(services);
    this.jwks = services.assertions().publicKeys().toString(true).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Switches to a new configuration; requests already admitted finish on the old one. */
  public void update(GateSnapshot next) {
    snapshot.set(requireNonNull(next, "next"));
    forwards.clear();
  }

  public GateSnapshot snapshot() {
    return snapshot.get();
  }

  @Override
  public CompletionStage<GateResult> admit(ClientRequest request) {
    GateSnapshot current = snapshot.get();
    String path = request.path();
    if (path.equals(JWKS_PATH)) {
      return respond(new SimpleResponse(200,
          List.of(Map.entry("content-type", "application/json"), Map.entry("cache-control", "public, max-age=300")), jwks));
    }
    if (path.startsWith(RESERVED_PREFIX)) {
      return endpoints.handle(request, current);
    }
    Optional<AppRoute> route = current.router().find(request.host(), path);
    if (route.isEmpty()) {
      if (request.host().equals(current.authHost())) {
        return endpoints.landing(request, current);
      }
      return respond(SimpleResponse.text(404, "No app is configured at this address."));
    }
    Optional<String> sessionId = sessionLookup.sessionId(request, current);
    if (sessionId.isEmpty()) {
      return decide(request, current, route.get(), Optional.empty());
    }
    Optional<Session> cached = services.sessions().cached(sessionId.get());
    if (cached.isPresent()) {
      return decide(request, current, route.get(), cached);
    }
    return CompletableFuture.supplyAsync(() -> services.sessions().find(sessionId.get()), services.blocking())
        .thenCompose(session -> decide(request, current, route.get(), session));
  }

  private CompletionStage<GateResult> decide(
      ClientRequest request, GateSnapshot current, AppRoute route, Optional<Session> session) {
    if (session.isPresent() && services.lockedUsers().isLocked(session.get().identity().username())) {
      Session locked = session.get();
      return CompletableFuture.supplyAsync(() -> endLockedSession(request, locked), services.blocking());
    }
    session.ifPresent(live -> refresher.refreshIfDue(live, current));
    Optional<Identity> identity = session.map(Session::identity);
    AccessRequest accessRequest =
        new AccessRequest(identity, route.resource(), request.method(), request.path(), request.clientAddress(),
            services.clock().instant());
    Decision decision = current.policy().decide(accessRequest);
    return switch (decision) {
      case Decision.Allow allow -> CompletableFuture.completedFuture(forward(route, session, allow));
      case Decision.Deny deny when session.isEmpty() && isUnauthenticated(deny) -> respond(challenge(request, current));
      case Decision.Deny deny -> CompletableFuture.supplyAsync(() -> deny(request, route, identity, deny), services.blocking());
    };
  }

  private GateResult forward(AppRoute route, Optional<Session> session, Decision.Allow allow) {
    if (session.isEmpty()) {
      return GateResult.Forward.to(route.upstream());
    }
    Session s = session.get();
    Identity identity = s.identity();
    String assertion = services.assertions().assertionFor(
        new IdentityAssertions.Subject(s.id(), identity.subject(), identity.username(), identity.email(),
            identity.groups(), allow.roles()),
        route.config().host());
    // The assertion is reused for a minute; so is the validated Forward that carries it, since checking
    // a 500-byte header value per request would cost more than finding it again.
    ForwardKey key = new ForwardKey(s.id(), route.name());
    GateResult.Forward cached = forwards.get(key);
    if (cached != null && cached.addHeaders().getFirst().getValue() == assertion) {
      return cached;
    }
    if (forwards.size() >= MAX_CACHED_FORWARDS) {
      forwards.clear();
    }
    GateResult.Forward fresh = new GateResult.Forward(route.upstream(), List.of(Map.entry(ASSERTION_HEADER, assertion)));
    forwards.put(key, fresh);
    return fresh;
  }

  private record ForwardKey(String sessionId, String app) {}

  /** Sends a browser to sign in; API clients get a plain 401. */
  private SimpleResponse challenge(ClientRequest request, GateSnapshot current) {
    boolean navigable = (request.method().equals("GET") || request.method().equals("HEAD"))
        && !request.websocketUpgrade()
        && request.header("accept").map(accept -> accept.contains("text/html") || accept.contains("*/*")).orElse(true);
    if (!navigable) {
      return SimpleResponse.text(401, "Sign-in required.");
    }
    String target = current.appUrl(request.host(), request.pathAndQuery());
    return endpoints.handshake().challenge(request, current, target);
  }

  private GateResult deny(ClientRequest request, AppRoute route, Optional<Identity> identity, Decision.Deny deny) {
    List<String> reasons = deny.reasons().stream().map(r -> r.code() + ": " + r.detail()).toList();
    services.audit().event(AuditCode.ACCESS_DENIED)
        .user(identity.map(Identity::username).orElse(""))
        .provider(identity.map(Identity::provider).orElse(""))
        .resource("app:" + route.name())
        .reasons(reasons)
        .clientAddress(request.clientAddress().getHostAddress())
        .details(Map.of("method", request.method(), "path", request.path()))
        .record();
    int status = identity.isPresent() ? 403 : 401;
    String codes = String.join(", ", deny.reasons().stream().map(Reason::code).toList());
    String body = Html.page("Access denied",
        "<p>You may not reach <b>" + Html.escape(route.name()) + "</b> "
            + Html.escape(request.method() + " " + request.path()) + ".</p>"
            + "<p class=\"muted\">Reason: <code id=\"reasons\">" + Html.escape(codes) + "</code></p>"
            + (identity.isPresent() ? "<p class=\"muted\">Signed in as " + Html.escape(identity.get().username()) + ".</p>" : ""));
    return new GateResult.Respond(SimpleResponse.html(status, body));
  }

  /** A lock ends the user's live sessions at their next request, everywhere. */
  private GateResult endLockedSession(ClientRequest request, Session session) {
    if (services.sessions().revoke(session.id()).isPresent()) {
      services.assertions().forgetSession(session.id());
      services.audit().event(AuditCode.SESSION_EXPIRED)
          .user(session.identity().username()).provider(session.identity().provider())
          .clientAddress(request.clientAddress().getHostAddress())
          .reasons(List.of("user-locked")).record();
    }
    return new GateResult.Respond(SimpleResponse.html(403, Html.page("Account locked",
        "<p id=\"locked\">Your account is locked. Ask an administrator.</p>")));
  }

  private static boolean isUnauthenticated(Decision.Deny deny) {
    return deny.reasons().stream().anyMatch(reason -> reason.code().equals("user-unauthenticated"));
  }

  private static CompletionStage<GateResult> respond(SimpleResponse response) {
    return CompletableFuture.completedFuture(new GateResult.Respond(response));
  }
}
