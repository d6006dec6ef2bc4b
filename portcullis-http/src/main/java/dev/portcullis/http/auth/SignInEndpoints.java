package dev.portcullis.http.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.audit.AuditCode;
import dev.portcullis.http.server.ClientRequest;
import dev.portcullis.http.server.SimpleResponse;
import dev.portcullis.http.web.Cookies;
import dev.portcullis.http.web.Forms;
import dev.portcullis.http.web.Html;
import dev.portcullis.identity.Identity;
import dev.portcullis.localauth.LocalAuthenticator;
import dev.portcullis.oidc.AuthorizationStart;
import dev.portcullis.oidc.OidcException;
import dev.portcullis.oidc.OidcLogin;
import dev.portcullis.oidc.PendingAuthorization;
import dev.portcullis.session.Session;
import dev.portcullis.session.SessionRefs;
import dev.portcullis.session.SessionTokens;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Signing in on the sign-in host: the chooser page, the local-user form, and the OIDC authorization
 * code flow. Every attempt, succeeded or failed, is an audit event naming the provider.
 */
final class SignInEndpoints {
  static final String OIDC_CALLBACK_PATH = "/.portcullis/oidc/callback";
  private static final String PENDING_PREFIX = "oidc/pending/";
  private static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GateServices services;
  private final SessionLookup sessions;

  SignInEndpoints(GateServices services, SessionLookup sessions) {
    this.services = services;
    this.sessions = sessions;
  }

  /** An OIDC flow in progress, stored server-side under its state until the callback takes it. */
  record PendingSignIn(String pending, String returnUrl) {}

  /** {@code GET /.portcullis/sign_in?return=URL}: the chooser, or straight to the only method. */
  SimpleResponse chooser(ClientRequest request, GateSnapshot snapshot) {
    String returnUrl = returnUrl(request, snapshot);
    if (sessions.find(request, snapshot).isPresent()) {
      return HandshakeEndpoints.redirect(returnUrl);
    }
    var methods = snapshot.orderedSignInMethods();
    if (methods.size() == 1) {
      return HandshakeEndpoints.redirect(methodUrl(snapshot, methods.getFirst(), returnUrl));
    }
    StringBuilder links = new StringBuilder("<p>Choose how to sign in:</p>");
    for (SignInMethod method : methods) {
      links.append("<a class=\"button\" id=\"sign-in-").append(Html.escape(method.name())).append("\" href=\"")
          .append(Html.escape(methodUrl(snapshot, method, returnUrl))).append("\">")
          .append(Html.escape(method.displayName())).append("</a>");
    }
    return page(200, "Sign in", links.toString());
  }

  /** {@code GET /.portcullis/sign_in/NAME}: the local form, or a redirect to the OIDC provider. */
  SimpleResponse start(ClientRequest request, GateSnapshot snapshot, SignInMethod method) {
    String returnUrl = returnUrl(request, snapshot);
    return switch (method) {
      case SignInMethod.Local local -> localForm(snapshot, local, returnUrl, null, 200);
      case SignInMethod.Oidc oidc -> startOidc(request, snapshot, oidc, returnUrl);
    };
  }

  /** {@code POST /.portcullis/sign_in/NAME}: checks the local user's password and TOTP code. */
  SimpleResponse submitLocal(ClientRequest request, GateSnapshot snapshot, SignInMethod.Local local, byte[] body) {
    Map<String, String> form = Forms.parse(body);
    String csrf = form.getOrDefault("csrf", "");
    boolean csrfOk = !csrf.isEmpty() && Cookies.values(request.headers().all("cookie"), csrfCookie(snapshot)).stream()
        .anyMatch(value -> MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII), csrf.getBytes(StandardCharsets.US_ASCII)));
    if (!csrfOk) {
      return SimpleResponse.text(400, "The sign-in form expired; reload the page and try again.");
    }
    String returnUrl = snapshot.returnUrls().validate(form.get("return")).map(URI::toString).orElse(snapshot.authUrl("/"));
    String username = form.getOrDefault("username", "");
    LocalAuthenticator.Result result = services.localAuthenticator().authenticate(
        local.config(), username, form.getOrDefault("password", "").toCharArray(), form.get("totp"));
    return switch (result) {
      case LocalAuthenticator.Result.Success success ->
          completeSignIn(request, snapshot, success.identity(), SessionTokens.none(), returnUrl);
      case LocalAuthenticator.Result.Failure failure -> {
        audit(AuditCode.LOGIN_FAILED, username, local.name(), request, failure.reason());
        yield localForm(snapshot, local, returnUrl, messageFor(failure.reason()), 401);
      }
    };
  }

  /** {@code GET /.portcullis/oidc/callback}: finishes the code flow started in this browser. */
  SimpleResponse oidcCallback(ClientRequest request, GateSnapshot snapshot) {
    Map<String, String> query = Forms.parse(request.rawQuery());
    String state = query.getOrDefault("state", "");
    boolean sameBrowser = !state.isEmpty() && Cookies.values(request.headers().all("cookie"), stateCookie(snapshot)).stream()
        .anyMatch(value -> MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII), state.getBytes(StandardCharsets.US_ASCII)));
    if (!sameBrowser) {
      // The flow stays pending for the browser that started it; peek only to name its provider in the audit.
      String provider = state.isEmpty() ? "" : services.store().get(PENDING_PREFIX + state)
          .map(item -> PendingAuthorization.fromJson(read(item.value()).pending()).provider()).orElse("");
      return failed(request, snapshot, provider, "state-mismatch", "This sign-in was not started in this browser.");
    }
    Optional<PendingSignIn> flow = services.store().take(PENDING_PREFIX + state).map(item -> read(item.value()));
    if (flow.isEmpty()) {
      return failed(request, snapshot, "", "state-unknown", "This sign-in has expired or was already completed.");
    }
    PendingAuthorization pending = PendingAuthorization.fromJson(flow.get().pending());
    if (!(snapshot.signInMethods().get(pending.provider()) instanceof SignInMethod.Oidc oidc)) {
      return failed(request, snapshot, pending.provider(), "provider-removed", "This identity provider is no longer configured.");
    }
    try {
      OidcLogin login = oidc.relyingParty().complete(pending, query);
      Identity identity = new Identity(login.username(), trustedEmail(login, oidc), login.groups(), login.claims(),
          login.provider(), login.subject());
      SessionTokens tokens = new SessionTokens(login.tokens().idToken(), login.tokens().refreshToken(),
          login.tokens().accessTokenExpiresAt());
      return completeSignIn(request, snapshot, identity, tokens, flow.get().returnUrl())
          .withSetCookie(Cookies.clear(stateCookie(snapshot), snapshot.secureCookies()));
    } catch (OidcException e) {
      return failed(request, snapshot, pending.provider(), e.code(), e.failure().userMessage());
    }
  }

  /** The email to believe: only a verified one, unless the provider is configured to be trusted anyway. */
  static String trustedEmail(OidcLogin login, SignInMethod.Oidc provider) {
    boolean trusted = login.emailVerified() || provider.config().trustUnverifiedEmail();
    return trusted ? login.email().orElse("") : "";
  }

  private SimpleResponse startOidc(ClientRequest request, GateSnapshot snapshot, SignInMethod.Oidc oidc, String returnUrl) {
    try {
      AuthorizationStart start = oidc.relyingParty().start(URI.create(snapshot.authUrl(OIDC_CALLBACK_PATH)));
      PendingSignIn flow = new PendingSignIn(start.pending().toJson(), returnUrl);
      services.store().put(PENDING_PREFIX + start.pending().state(), write(flow),
          Optional.of(services.clock().instant().plus(FLOW_LIFETIME)));
      return HandshakeEndpoints.redirect(start.authorizationUrl().toString())
          .withSetCookie(Cookies.set(stateCookie(snapshot), start.pending().state(), snapshot.secureCookies(), FLOW_LIFETIME));
    } catch (OidcException e) {
      return failed(request, snapshot, oidc.name(), e.code(), e.failure().userMessage());
    }
  }

  private SimpleResponse completeSignIn(
      ClientRequest request, GateSnapshot snapshot, Identity identity, SessionTokens tokens, String returnUrl) {
    Session session = services.sessions().create(identity, tokens);
    services.audit().event(AuditCode.LOGIN_SUCCEEDED)
        .user(identity.username()).provider(identity.provider())
        .clientAddress(request.clientAddress().getHostAddress())
        .details(Map.of("session", SessionRefs.of(session.id()), "groups", String.join(",", identity.groups())))
        .record();
    return HandshakeEndpoints.redirect(returnUrl)
        .withSetCookie(Cookies.set(snapshot.config().session().cookieName(),
            services.cookies().encode(session.id(), snapshot.authHost()), snapshot.secureCookies(), null))
        .withSetCookie(Cookies.clear(csrfCookie(snapshot), snapshot.secureCookies()));
  }

  private SimpleResponse failed(ClientRequest request, GateSnapshot snapshot, String provider, String code, String message) {
    audit(AuditCode.LOGIN_FAILED, "", provider, request, code);
    return page(401, "Sign-in failed", "<p class=\"error\" id=\"error\">" + Html.escape(message) + "</p>"
        + "<p class=\"muted\">Reason: <code>" + Html.escape(code) + "</code></p>"
        + "<a class=\"button\" href=\"" + Html.escape(snapshot.authUrl("/.portcullis/sign_in")) + "\">Try again</a>");
  }

  private SimpleResponse localForm(
      GateSnapshot snapshot, SignInMethod.Local local, String returnUrl, String error, int status) {
    String csrf = services.randomToken();
    boolean anyTotp = local.config().users().stream().anyMatch(user -> user.totpSecret().isPresent());
    String body = (error == null ? "" : "<p class=\"error\" id=\"error\">" + Html.escape(error) + "</p>")
        + "<form method=\"post\" action=\"/.portcullis/sign_in/" + Html.escape(local.name()) + "\">"
        + "<input type=\"hidden\" name=\"csrf\" value=\"" + csrf + "\">"
        + "<input type=\"hidden\" name=\"return\" value=\"" + Html.escape(returnUrl) + "\">"
        + "<label for=\"username\">User name</label><input id=\"username\" name=\"username\" autocomplete=\"username\" autofocus required>"
        + "<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
        + (anyTotp ? "<label for=\"totp\">One-time code (if you use one)</label><input id=\"totp\" name=\"totp\" inputmode=\"numeric\" autocomplete=\"one-time-code\">" : "")
        + "<button type=\"submit\" id=\"submit\">Sign in</button></form>";
    return page(status, local.displayName(), body)
        .withSetCookie(Cookies.set(csrfCookie(snapshot), csrf, snapshot.secureCookies(), FLOW_LIFETIME));
  }

  private void audit(AuditCode code, String user, String provider, ClientRequest request, String reason) {
    services.audit().event(code).user(user).provider(provider)
        .clientAddress(request.clientAddress().getHostAddress())
        .reasons(java.util.List.of(reason))
        .record();
  }

  private static String messageFor(String reason) {
    return switch (reason) {
      case "totp-required" -> "Enter the one-time code from your authenticator app.";
      case "totp-invalid", "totp-replayed" -> "That one-time code is not valid. Wait for the next one.";
      case "throttled" -> "Too many failed attempts. Wait a few minutes and try again.";
      default -> "Wrong user name or password.";
    };
  }

  private static String returnUrl(ClientRequest request, GateSnapshot snapshot) {
    return snapshot.returnUrls().validate(Forms.parse(request.rawQuery()).get("return"))
        .map(URI::toString).orElse(snapshot.authUrl("/"));
  }

  private static String methodUrl(GateSnapshot snapshot, SignInMethod method, String returnUrl) {
    return snapshot.authUrl("/.portcullis/sign_in/" + method.name() + "?return=" + Forms.encode(returnUrl));
  }

  private static SimpleResponse page(int status, String title, String body) {
    return SimpleResponse.html(status, Html.page(title, body));
  }

  private static String csrfCookie(GateSnapshot snapshot) {
    return snapshot.config().session().cookieName() + "_csrf";
  }

  private static String stateCookie(GateSnapshot snapshot) {
    return snapshot.config().session().cookieName() + "_state";
  }

  private static byte[] write(PendingSignIn flow) {
    try {
      return JSON.writeValueAsBytes(flow);
    } catch (IOException e) {
      throw new IllegalStateException("pending sign-in cannot be serialized", e);
    }
  }

  private static PendingSignIn read(byte[] json) {
    try {
      return JSON.readValue(json, PendingSignIn.class);
    } catch (IOException e) {
      throw new IllegalStateException("stored pending sign-in is malformed", e);
    }
  }
}
