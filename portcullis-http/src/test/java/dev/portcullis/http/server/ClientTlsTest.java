package dev.portcullis.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TLS listener negotiates h2 or http/1.1 through ALPN; HTTP/2 streams take the same gate and proxy path. */
class ClientTlsTest extends ProxyTestSupport {

  private static final TestPki.Issued CA = TestPki.ca("Listener Test CA");
  private static final TestPki.Issued SERVER = TestPki.server(CA, List.of("localhost"), List.of("127.0.0.1"));

  private TestUpstream upstream;
  private ProxyServer proxy;

  @BeforeEach
  void start() {
    upstream = upstream();
    GateResult forward = new GateResult.Forward(UpstreamTarget.of("echo", upstream.origin()),
        List.of(Map.entry("X-Portcullis-User", "alice")));
    proxy = proxy(request -> CompletableFuture.completedFuture(request.path().startsWith("/denied")
            ? new GateResult.Respond(SimpleResponse.text(403, "forbidden")) : forward),
        b -> b.tls(SERVER.serverTls(CA)).strippedCookieNames(java.util.Set.of("session")));
  }

  private HttpClient client(HttpClient.Version version) {
    return HttpClient.newBuilder().version(version).sslContext(TestPki.clientContext(CA))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private URI uri(String pathAndQuery) {
    return URI.create("https://localhost:" + proxy.port() + pathAndQuery);
  }

  @Test
  void servesHttp2StreamsThroughTheGateAndTheHeaderHygiene() throws Exception {
    HttpResponse<String> response = client(HttpClient.Version.HTTP_2).send(HttpRequest.newBuilder(uri("/a/../b?q=1"))
            .header("X-Portcullis-User", "mallory").header("Cookie", "session=s3cret; theme=dark").build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TestUpstream.parseEcho(response.body()))
        .containsEntry("uri", "/b?q=1")
        .containsEntry("header:x-portcullis-user", "alice")
        .containsEntry("header:cookie", "theme=dark")
        .containsEntry("header:x-forwarded-proto", "https")
        .doesNotContainKeys("header:x-http2-stream-id", "header:x-http2-scheme");
    assertThat(seen).singleElement().satisfies(r -> {
      assertThat(r.protocol()).isEqualTo("HTTP/2");
      assertThat(r.scheme()).isEqualTo("https");
      assertThat(r.host()).isEqualTo("localhost");
      assertThat(r.path()).isEqualTo("/b");
    });
  }

  @Test
  void answersHttp2RequestsLocallyWhenTheGateSaysSo() throws Exception {
    HttpResponse<String> response = client(HttpClient.Version.HTTP_2).send(
        HttpRequest.newBuilder(uri("/denied")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(upstream.accepted.get()).isZero();
  }

  @Test
  void answersADeniedHttp2UploadAndKeepsTheConnectionUsable() throws Exception {
    HttpClient client = client(HttpClient.Version.HTTP_2);
    HttpResponse<String> denied = client.send(HttpRequest.newBuilder(uri("/denied"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[100 * 1024])).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> next = client.send(HttpRequest.newBuilder(uri("/after")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(upstream.requests).hasSize(1);
  }

  @Test
  void streamsLargeBodiesBothWaysOverHttp2() throws Exception {
    HttpClient client = client(HttpClient.Version.HTTP_2);
    long size = 16L * 1024 * 1024;
    MessageDigest sent = MessageDigest.getInstance("SHA-256");

    HttpResponse<String> upload = client.send(HttpRequest.newBuilder(uri("/up"))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new StreamingTest.PatternStream(size, sent))).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<InputStream> download = client.send(HttpRequest.newBuilder(uri("/chunked/" + size)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest received = MessageDigest.getInstance("SHA-256");
    long count;
    try (InputStream in = download.body()) {
      count = in.transferTo(new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), received));
    }

    assertThat(upload.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(TestUpstream.parseEcho(upload.body())).containsEntry("body-length", Long.toString(size))
        .containsEntry("body-sha256", HexFormat.of().formatHex(sent.digest()));
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    new StreamingTest.PatternStream(size, expected).transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(count).isEqualTo(size);
    assertThat(received.digest()).isEqualTo(expected.digest());
  }

  @Test
  void servesManyConcurrentHttp2StreamsOnOneConnection() throws Exception {
    HttpClient client = client(HttpClient.Version.HTTP_2);
    List<CompletableFuture<HttpResponse<String>>> responses = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      responses.add(client.sendAsync(HttpRequest.newBuilder(uri("/s/" + i)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < 50; i++) {
      HttpResponse<String> response = responses.get(i).join();
      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(TestUpstream.parseEcho(response.body())).containsEntry("uri", "/s/" + i);
    }
  }

  @Test
  void fallsBackToHttp11OverTlsThroughAlpn() throws Exception {
    HttpResponse<String> response = client(HttpClient.Version.HTTP_1_1).send(HttpRequest.newBuilder(uri("/one")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(seen.getFirst().protocol()).isEqualTo("HTTP/1.1");
    assertThat(seen.getFirst().scheme()).isEqualTo("https");
  }
}
