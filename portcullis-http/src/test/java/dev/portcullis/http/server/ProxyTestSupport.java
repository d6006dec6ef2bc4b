package dev.portcullis.http.server;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/** Starts real upstreams and proxies on port 0 and closes them after each test. */
abstract class ProxyTestSupport {

  private final List<AutoCloseable> resources = new ArrayList<>();
  final List<ClientRequest> seen = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeResources() throws Exception {
    for (AutoCloseable resource : resources.reversed()) {
      resource.close();
    }
  }

  TestUpstream upstream() {
    return track(TestUpstream.start());
  }

  <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  ProxyServer proxy(RequestGate gate) {
    return proxy(gate, b -> b);
  }

  ProxyServer proxy(RequestGate gate, UnaryOperator<ProxyServerSettings.Builder> settings) {
    ProxyServerSettings built = settings.apply(
        ProxyServerSettings.builder(new InetSocketAddress("127.0.0.1", 0)).ioThreads(2)).build();
    return track(ProxyServer.start(built, request -> {
      seen.add(request);
      return gate.admit(request);
    }));
  }

  /** A gate forwarding everything to {@code target}, adding {@code header}. */
  static RequestGate forwardTo(UpstreamTarget target, Map.Entry<String, String> header) {
    return forward(new GateResult.Forward(target, List.of(header)));
  }

  static RequestGate forwardTo(UpstreamTarget target) {
    return forward(GateResult.Forward.to(target));
  }

  private static RequestGate forward(GateResult result) {
    CompletableFuture<GateResult> done = CompletableFuture.completedFuture(result);
    return request -> done;
  }

  static RequestGate forwardTo(TestUpstream upstream) {
    return forwardTo(UpstreamTarget.of("echo", upstream.origin()));
  }

  static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  static HttpResponse<String> get(ProxyServer proxy, String pathAndQuery) throws Exception {
    return client().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + pathAndQuery))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
