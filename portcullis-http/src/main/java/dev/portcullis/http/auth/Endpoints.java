package dev.portcullis.http.auth;

import dev.portcullis.http.server.ClientRequest;
import dev.portcullis.http.server.GateResult;
import dev.portcullis.http.server.SimpleResponse;
import dev.portcullis.http.web.Forms;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Routes Portcullis's own endpoints under {@code /.portcullis/}. They may block (store, password
 * hashing, identity providers), so each runs on the blocking executor, never on a network thread.
 */
final class Endpoints {
  private static final int MAX_FORM_BYTES = 16 * 1024;

  private final GateServices services;
  private final SignInEndpoints signIn;
  private final HandshakeEndpoints handshake;
  private final SessionEndpoints session;
  private final ForwardAuthEndpoint forwardAuth;
  private final CliAuthorizeEndpoints cliAuthorize;
  private final ApiHandler api;

  Endpoints(GateServices services, SessionLookup sessions, ApiHandler api) {
    this.services = services;
    this.signIn = new SignInEndpoints(services, sessions);
    this.handshake = new HandshakeEndpoints(services, sessions);
    this.session = new SessionEndpoints(services, sessions);
    this.forwardAuth = new ForwardAuthEndpoint(services, sessions);
    this.cliAuthorize = new CliAuthorizeEndpoints(services, sessions);
    this.api = api;
  }

  HandshakeEndpoints handshake() {
    return handshake;
  }

  CompletionStage<GateResult> handle(ClientRequest request, GateSnapshot snapshot) {
    String path = request.path();
    String method = request.method();
    boolean get = method.equals("GET") || method.equals("HEAD");
    boolean onAuthHost = request.host().equals(snapshot.authHost());

    if (path.equals("/.portcullis/verify")) {
      return async(() -> forwardAuth.verify(request, snapshot));
    }
    if (path.equals("/.portcullis/logout")) {
      return method.equals("POST") ? async(() -> session.logout(request, snapshot))
          : get ? done(session.confirmLogout(snapshot)) : done(notAllowed());
    }
    if (!onAuthHost) {
      if (path.equals(HandshakeEndpoints.CALLBACK_PATH) && get) {
        return async(() -> handshake.callback(request, snapshot));
      }
      if (path.equals("/.portcullis/start") && get) {
        // Forward-auth deployments send browsers here to begin sign-in on the app's own host.
        String target = Forms.parse(request.rawQuery()).getOrDefault("return", "/");
        return done(snapshot.returnUrls().validate(target)
            .filter(uri -> uri.getHost().equalsIgnoreCase(request.host()))
            .map(uri -> handshake.challenge(request, snapshot, uri.toString()))
            .orElse(SimpleResponse.text(400, "Invalid return URL.")));
      }
      return done(SimpleResponse.text(404, "Not found."));
    }
    if (path.startsWith(ApiHandler.PREFIX)) {
      return api.handle(request, snapshot);
    }
    if (path.equals("/.portcullis/cli/authorize")) {
      if (get) {
        return async(() -> cliAuthorize.confirm(request, snapshot));
      }
      if (method.equals("POST")) {
        return CompletableFuture.completedFuture(new GateResult.Consume(MAX_FORM_BYTES,
            body -> CompletableFuture.supplyAsync(() -> cliAuthorize.approve(request, snapshot, body), services.blocking())));
      }
      return done(notAllowed());
    }
    if (path.equals("/.portcullis/sign_in") && get) {
      return async(() -> signIn.chooser(request, snapshot));
    }
    if (path.equals("/.portcullis/handshake") && get) {
      return async(() -> handshake.handshake(request, snapshot));
    }
    if (path.equals(SignInEndpoints.OIDC_CALLBACK_PATH) && get) {
      return async(() -> signIn.oidcCallback(request, snapshot));
    }
    if (path.equals("/.portcullis/signed_out") && get) {
      return done(session.signedOut(snapshot));
    }
    if (path.startsWith("/.portcullis/sign_in/")) {
      SignInMethod signInMethod = snapshot.signInMethods().get(path.substring("/.portcullis/sign_in/".length()));
      if (signInMethod == null) {
        return done(SimpleResponse.text(404, "No such sign-in method."));
      }
      if (get) {
        return async(() -> signIn.start(request, snapshot, signInMethod));
      }
      if (method.equals("POST") && signInMethod instanceof SignInMethod.Local local) {
        return CompletableFuture.completedFuture(new GateResult.Consume(MAX_FORM_BYTES,
            body -> CompletableFuture.supplyAsync(() -> signIn.submitLocal(request, snapshot, local, body), services.blocking())));
      }
      return done(notAllowed());
    }
    return done(SimpleResponse.text(404, "Not found."));
  }

  CompletionStage<GateResult> landing(ClientRequest request, GateSnapshot snapshot) {
    return async(() -> session.landing(request, snapshot));
  }

  private CompletionStage<GateResult> async(Supplier<SimpleResponse> endpoint) {
    return CompletableFuture.supplyAsync(() -> new GateResult.Respond(endpoint.get()), services.blocking());
  }

  private static CompletionStage<GateResult> done(SimpleResponse response) {
    return CompletableFuture.completedFuture(new GateResult.Respond(response));
  }

  private static SimpleResponse notAllowed() {
    return SimpleResponse.text(405, "Method not allowed.");
  }
}
