package dev.portcullis.http.auth;

import dev.portcullis.http.server.ClientRequest;
import dev.portcullis.http.web.Cookies;
import dev.portcullis.session.Session;
import java.util.Optional;

/** Finds the session a request's cookie names, accepting only a handle signed for the request's host. */
final class SessionLookup {
  private final GateServices services;

  SessionLookup(GateServices services) {
    this.services = services;
  }

  /** The session id from the first cookie value that verifies for this host. */
  Optional<String> sessionId(ClientRequest request, GateSnapshot snapshot) {
    return sessionId(request, snapshot, request.host());
  }

  Optional<String> sessionId(ClientRequest request, GateSnapshot snapshot, String host) {
    String name = snapshot.config().session().cookieName();
    for (String value : Cookies.values(request.headers().all("cookie"), name)) {
      Optional<String> id = services.cookies().decode(value, host);
      if (id.isPresent()) {
        return id;
      }
    }
    return Optional.empty();
  }

  /** The live session for the request; may block on the store. */
  Optional<Session> find(ClientRequest request, GateSnapshot snapshot) {
    return sessionId(request, snapshot).flatMap(services.sessions()::find);
  }
}
