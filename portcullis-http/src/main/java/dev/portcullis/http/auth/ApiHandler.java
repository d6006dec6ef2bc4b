package dev.portcullis.http.auth;

import dev.portcullis.http.server.ClientRequest;
import dev.portcullis.http.server.GateResult;
import dev.portcullis.http.server.SimpleResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Answers the programmatic API (command line, node agents) under {@value #PREFIX} on the sign-in host. */
@FunctionalInterface
public interface ApiHandler {
  String PREFIX = "/.portcullis/api/";

  /** No API: every call is 404. */
  ApiHandler NONE = (request, snapshot) -> CompletableFuture.completedFuture(
      new GateResult.Respond(SimpleResponse.json(404, "{\"error\":\"not-found\",\"message\":\"no such API\"}")));

  CompletionStage<GateResult> handle(ClientRequest request, GateSnapshot snapshot);
}
