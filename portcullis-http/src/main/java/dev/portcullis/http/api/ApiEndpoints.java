package dev.portcullis.http.api;

import static java.util.Objects.requireNonNull;

import dev.portcullis.http.api.ApiJson.ApiError;
import dev.portcullis.http.auth.ApiHandler;
import dev.portcullis.http.auth.GateServices;
import dev.portcullis.http.auth.GateSnapshot;
import dev.portcullis.http.server.ClientRequest;
import dev.portcullis.http.server.GateResult;
import dev.portcullis.http.server.SimpleResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes {@code /.portcullis/api/v1/}: sign-in and SSH certificates for the command line, and
 * enrollment, heartbeats and login checks for node agents. Every call runs off the network threads.
 */
public final class ApiEndpoints implements ApiHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiEndpoints.class);
  private static final String V1 = PREFIX + "v1/";
  private static final int MAX_BODY_BYTES = 64 * 1024;

  private final GateServices services;
  private final UserApi users;
  private final NodeApi nodes;

  public ApiEndpoints(GateServices services, SshServices ssh) {
    this.services = requireNonNull(services, "services");
    this.users = new UserApi(services, ssh);
    this.nodes = new NodeApi(services, ssh);
  }

  @Override
  public CompletionStage<GateResult> handle(ClientRequest request, GateSnapshot snapshot) {
    String route = request.method() + " " + request.path();
    return switch (route) {
      case "POST " + V1 + "login/local" -> withBody(body -> users.loginLocal(request, snapshot, body));
      case "POST " + V1 + "cli/token" -> withBody(body -> users.cliToken(request, snapshot, body));
      case "GET " + V1 + "whoami" -> now(() -> users.whoami(request, snapshot));
      case "POST " + V1 + "ssh/certificates" -> withBody(body -> users.sshCertificate(request, snapshot, body));
      case "POST " + V1 + "logout" -> now(() -> users.logout(request, snapshot));
      case "GET " + V1 + "ca" -> now(() -> users.certificateAuthorities(snapshot));
      case "GET " + V1 + "ssh/nodes" -> now(() -> users.sshNodes(request, snapshot));
      case "POST " + V1 + "nodes/join" -> withBody(body -> nodes.join(request, snapshot, body));
      case "POST " + V1 + "nodes/heartbeat" -> withBody(body -> nodes.heartbeat(request, snapshot, body));
      case "GET " + V1 + "nodes/principals" -> now(() -> nodes.principals(request, snapshot));
      default -> CompletableFuture.completedFuture(new GateResult.Respond(
          ApiJson.error(new ApiError(404, "not-found", "no such API: " + request.method() + " " + request.path()))));
    };
  }

  private CompletionStage<GateResult> withBody(java.util.function.Function<byte[], SimpleResponse> endpoint) {
    return CompletableFuture.completedFuture(new GateResult.Consume(MAX_BODY_BYTES,
        body -> CompletableFuture.supplyAsync(() -> guarded(() -> endpoint.apply(body)), services.blocking())));
  }

  private CompletionStage<GateResult> now(java.util.function.Supplier<SimpleResponse> endpoint) {
    return CompletableFuture.supplyAsync(() -> new GateResult.Respond(guarded(endpoint)), services.blocking());
  }

  /** Turns a refusal into its JSON error, and anything unexpected into a 500 without details. */
  private static SimpleResponse guarded(java.util.function.Supplier<SimpleResponse> endpoint) {
    try {
      return endpoint.get();
    } catch (ApiError e) {
      return ApiJson.error(e);
    } catch (RuntimeException e) {
      log.warn("API call failed", e);
      return ApiJson.error(new ApiError(500, "internal-error", "the server could not complete the request"));
    }
  }
}
