package dev.portcullis.http.server;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** What the {@link RequestGate} decided for one request: forward it, answer it, or read its body and answer. */
public sealed interface GateResult {

  /** The largest body a {@link Consume} result may ask to buffer. */
  int MAX_CONSUME_BYTES = 16 * 1024 * 1024;

  /**
   * Forward the request to {@code target}, streaming both bodies. {@code addHeaders} are set on the upstream
   * request after the client's own copies of those names were removed (for example an identity assertion).
   */
  record Forward(UpstreamTarget target, List<Map.Entry<String, String>> addHeaders) implements GateResult {
    public Forward {
      requireNonNull(target, "target");
      addHeaders = HeaderChecks.copyOf(addHeaders, "addHeaders");
    }

    public static Forward to(UpstreamTarget target) {
      return new Forward(target, List.of());
    }
  }

  /** Answer the client directly (redirects, 401/403 pages, JSON); the request body, if any, is discarded. */
  record Respond(SimpleResponse response) implements GateResult {
    public Respond {
      requireNonNull(response, "response");
    }
  }

  /**
   * Read the whole request body (at most {@code maxBodyBytes}, else {@code 413}) and answer with what
   * {@code handler} produces; for local endpoints such as a login form POST.
   */
  record Consume(int maxBodyBytes, Function<byte[], CompletionStage<SimpleResponse>> handler)
      implements GateResult {
    public Consume {
      if (maxBodyBytes < 0 || maxBodyBytes > MAX_CONSUME_BYTES) {
        throw new IllegalArgumentException(
            "maxBodyBytes: " + maxBodyBytes + " (expected: 0.." + MAX_CONSUME_BYTES + ")");
      }
      requireNonNull(handler, "handler");
    }
  }
}
