package dev.portcullis.http.auth;

import dev.portcullis.http.server.ClientRequest;
import dev.portcullis.http.server.SimpleResponse;
import dev.portcullis.http.web.Cookies;
import dev.portcullis.http.web.Forms;
import dev.portcullis.http.web.Html;
import dev.portcullis.session.CliCodes;
import dev.portcullis.session.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /.portcullis/cli/authorize}: signs the command line in through the browser. The signed-in
 * user confirms, and the browser is sent to the command line's loopback listener with a one-time code
 * (RFC 8252). Only {@code http://127.0.0.1} is ever a target, so the code cannot leave the computer.
 */
final class CliAuthorizeEndpoints {
  private static final Duration FORM_LIFETIME = Duration.ofMinutes(10);

  private final GateServices services;
  private final SessionLookup sessions;
  private final CliCodes codes;

  CliAuthorizeEndpoints(GateServices services, SessionLookup sessions) {
    this.services = services;
    this.sessions = sessions;
    this.codes = new CliCodes(services.store(), services.clock(), services.random());
  }

  /** The request's parameters, checked; the same three arrive by query (GET) and form (POST). */
  private record CliRequest(int port, String state, String challenge) {
    static Optional<CliRequest> from(Map<String, String> parameters) {
      String port = parameters.getOrDefault("port", "");
      String state = parameters.getOrDefault("state", "");
      String challenge = parameters.getOrDefault("challenge", "");
      if (!port.matches("\\d{4,5}") || Integer.parseInt(port) < 1024 || Integer.parseInt(port) > 65535
          || !state.matches("[A-Za-z0-9_-]{16,128}") || !challenge.matches("[A-Za-z0-9_-]{43}")) {
        return Optional.empty();
      }
      return Optional.of(new CliRequest(Integer.parseInt(port), state, challenge));
    }
  }

  SimpleResponse confirm(ClientRequest request, GateSnapshot snapshot) {
    Optional<CliRequest> cli = CliRequest.from(Forms.parse(request.rawQuery()));
    if (cli.isEmpty()) {
      return SimpleResponse.text(400, "Invalid command-line sign-in: port (1024-65535), state and challenge are required.");
    }
    Optional<Session> session = sessions.find(request, snapshot);
    if (session.isEmpty()) {
      String again = snapshot.authUrl("/.portcullis/cli/authorize?" + request.rawQuery());
      return HandshakeEndpoints.redirect(snapshot.authUrl("/.portcullis/sign_in?return=" + Forms.encode(again)));
    }
    String csrf = services.randomToken();
    String body = "<p>Sign in the Portcullis command line on this computer as <b id=\"user\">"
        + Html.escape(session.get().identity().username()) + "</b>?</p>"
        + "<p class=\"muted\">Only continue if you just ran <code>portcullis login</code>.</p>"
        + "<form method=\"post\" action=\"/.portcullis/cli/authorize\">"
        + hidden("csrf", csrf) + hidden("port", Integer.toString(cli.get().port())) + hidden("state", cli.get().state())
        + hidden("challenge", cli.get().challenge())
        + "<button type=\"submit\" id=\"approve\">Sign in the command line</button></form>";
    return SimpleResponse.html(200, Html.page("Command-line sign-in", body))
        .withSetCookie(Cookies.set(csrfCookie(snapshot), csrf, snapshot.secureCookies(), FORM_LIFETIME));
  }

  SimpleResponse approve(ClientRequest request, GateSnapshot snapshot, byte[] body) {
    Map<String, String> form = Forms.parse(body);
    String csrf = form.getOrDefault("csrf", "");
    boolean csrfOk = !csrf.isEmpty() && Cookies.values(request.headers().all("cookie"), csrfCookie(snapshot)).stream()
        .anyMatch(v -> MessageDigest.isEqual(v.getBytes(StandardCharsets.US_ASCII), csrf.getBytes(StandardCharsets.US_ASCII)));
    Optional<CliRequest> cli = CliRequest.from(form);
    Optional<Session> session = sessions.find(request, snapshot);
    if (!csrfOk || cli.isEmpty() || session.isEmpty()) {
      return SimpleResponse.text(400, "This confirmation expired; run portcullis login again.");
    }
    String code = codes.issue(session.get().id(), cli.get().challenge());
    return HandshakeEndpoints.redirect("http://127.0.0.1:" + cli.get().port() + "/callback?code=" + code
            + "&state=" + cli.get().state())
        .withSetCookie(Cookies.clear(csrfCookie(snapshot), snapshot.secureCookies()));
  }

  private static String hidden(String name, String value) {
    return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.escape(value) + "\">";
  }

  private static String csrfCookie(GateSnapshot snapshot) {
    return snapshot.config().session().cookieName() + "_cli";
  }
}
