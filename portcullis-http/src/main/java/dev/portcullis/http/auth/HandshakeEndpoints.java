package dev.portcullis.http.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.http.server.ClientRequest;
import dev.portcullis.http.server.SimpleResponse;
import dev.portcullis.http.web.Cookies;
import dev.portcullis.http.web.Forms;
import dev.portcullis.http.web.Html;
import dev.portcullis.session.Session;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Gives an app on another host its own session cookie for a user signed in on the sign-in host.
 *
 * <p>The app host sets a random binding cookie and sends the browser to the sign-in host with the
 * binding's hash. The sign-in host answers with a single-use code valid for one minute and bound to
 * the app host and that hash; the app host redeems it only in the browser that holds the binding.
 * The code grants nothing on any other host, nor twice, nor in another browser (which stops an
 * attacker from planting their own session in a victim's browser).
 */
final class HandshakeEndpoints {
  static final String CALLBACK_PATH = "/.portcullis/callback";
  private static final String PREFIX = "handshakes/";
  private static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
  private static final Duration BINDING_LIFETIME = Duration.ofMinutes(15);
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GateServices services;
  private final SessionLookup sessions;

  HandshakeEndpoints(GateServices services, SessionLookup sessions) {
    this.services = services;
    this.sessions = sessions;
  }

  /** What the code stands for: one session, for one host, in the browser holding the binding. */
  record Grant(String sessionId, String host, String returnUrl, String bindingHash) {}

  /** Starts sign-in for a request to {@code target}; on an app host, first binds the browser. */
  SimpleResponse challenge(ClientRequest request, GateSnapshot snapshot, String target) {
    if (request.host().equals(snapshot.authHost())) {
      return redirect(snapshot.authUrl("/.portcullis/sign_in?return=" + Forms.encode(target)));
    }
    String binding = services.randomToken();
    return redirect(snapshot.authUrl("/.portcullis/handshake?return=" + Forms.encode(target)
            + "&binding=" + sha256(binding)))
        .withSetCookie(Cookies.set(bindingCookie(snapshot), binding, snapshot.secureCookies(), BINDING_LIFETIME));
  }

  /** On the sign-in host: issue a code for the app host, or ask the user to sign in first. */
  SimpleResponse handshake(ClientRequest request, GateSnapshot snapshot) {
    Map<String, String> query = Forms.parse(request.rawQuery());
    Optional<URI> target = snapshot.returnUrls().validate(query.get("return"));
    String binding = query.getOrDefault("binding", "");
    if (target.isEmpty() || !TOKEN.matcher(binding).matches()) {
      return SimpleResponse.text(400, "Invalid sign-in request: return must be a configured app URL.");
    }
    String targetHost = target.get().getHost().toLowerCase(java.util.Locale.ROOT);
    if (targetHost.equals(snapshot.authHost())) {
      return redirect(target.get().toString());
    }
    Optional<Session> session = sessions.find(request, snapshot);
    if (session.isEmpty()) {
      String again = "/.portcullis/handshake?" + request.rawQuery();
      return redirect(snapshot.authUrl("/.portcullis/sign_in?return=" + Forms.encode(snapshot.authUrl(again))));
    }
    String code = services.randomToken();
    Grant grant = new Grant(session.get().id(), targetHost, target.get().toString(), binding);
    services.store().put(PREFIX + code, write(grant), Optional.of(services.clock().instant().plus(CODE_LIFETIME)));
    return redirect(snapshot.appUrl(targetHost, CALLBACK_PATH + "?code=" + code));
  }

  /** On the app host: redeem the code once, in the bound browser, and set this host's cookie. */
  SimpleResponse callback(ClientRequest request, GateSnapshot snapshot) {
    String code = Forms.parse(request.rawQuery()).getOrDefault("code", "");
    if (!TOKEN.matcher(code).matches()) {
      return SimpleResponse.text(400, "Invalid sign-in callback.");
    }
    Optional<Grant> grant = services.store().take(PREFIX + code).map(item -> read(item.value()));
    if (grant.isEmpty()) {
      return retry(snapshot, "This sign-in link has expired or was already used.");
    }
    if (!grant.get().host().equals(request.host())) {
      return SimpleResponse.text(400, "This sign-in link is for another app.");
    }
    boolean bound = Cookies.values(request.headers().all("cookie"), bindingCookie(snapshot)).stream()
        .anyMatch(value -> MessageDigest.isEqual(sha256(value).getBytes(StandardCharsets.US_ASCII),
            grant.get().bindingHash().getBytes(StandardCharsets.US_ASCII)));
    if (!bound) {
      return retry(snapshot, "This sign-in link was started in another browser.");
    }
    Optional<Session> session = services.sessions().find(grant.get().sessionId());
    if (session.isEmpty()) {
      return retry(snapshot, "Your session has ended.");
    }
    URI target = URI.create(grant.get().returnUrl());
    String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
    String pathAndQuery = path + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
    return redirect(pathAndQuery)
        .withSetCookie(Cookies.set(snapshot.config().session().cookieName(),
            services.cookies().encode(session.get().id(), request.host()), snapshot.secureCookies(), null))
        .withSetCookie(Cookies.clear(bindingCookie(snapshot), snapshot.secureCookies()));
  }

  private static SimpleResponse retry(GateSnapshot snapshot, String message) {
    return SimpleResponse.html(400, Html.page("Sign-in interrupted",
        "<p class=\"error\">" + Html.escape(message) + "</p><p>Go back to the app and try again.</p>"));
  }

  static SimpleResponse redirect(String location) {
    return SimpleResponse.redirect(location).withHeader("Referrer-Policy", "no-referrer");
  }

  private static String bindingCookie(GateSnapshot snapshot) {
    return snapshot.config().session().cookieName() + "_handshake";
  }

  static String sha256(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  private static byte[] write(Grant grant) {
    try {
      return JSON.writeValueAsBytes(grant);
    } catch (IOException e) {
      throw new IllegalStateException("handshake grant cannot be serialized", e);
    }
  }

  private static Grant read(byte[] json) {
    try {
      return JSON.readValue(json, Grant.class);
    } catch (IOException e) {
      throw new IllegalStateException("stored handshake grant is malformed", e);
    }
  }
}
