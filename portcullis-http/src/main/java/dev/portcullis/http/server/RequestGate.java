package dev.portcullis.http.server;

import java.util.concurrent.CompletionStage;

/**
 * Decides, for each client request, whether to forward it upstream, answer it, or handle it locally.
 *
 * <p>The returned stage may already be complete (the hot path: no thread hop happens) or complete later on
 * any thread. An exceptionally completed stage, a thrown exception or a {@code null} result is answered with
 * {@code 500} and never forwards the request: the server fails closed.
 */
@FunctionalInterface
public interface RequestGate {

  CompletionStage<GateResult> admit(ClientRequest request);
}
