package dev.portcullis.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProxyForwardingTest extends ProxyTestSupport {

  @Test
  void forwardsMethodPathQueryAndBodyToTheUpstream() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream));
    byte[] body = "name=alice&x=1".getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> response = client().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/app/items?b=2&a=%2F1"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, String> echo = TestUpstream.parseEcho(response.body());
    assertThat(echo).containsEntry("method", "POST").containsEntry("uri", "/app/items?b=2&a=%2F1")
        .containsEntry("body-length", "14")
        .containsEntry("body-sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
    assertThat(seen).singleElement().satisfies(r -> {
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.path()).isEqualTo("/app/items");
      assertThat(r.rawQuery()).isEqualTo("b=2&a=%2F1");
      assertThat(r.protocol()).isEqualTo("HTTP/1.1");
      assertThat(r.scheme()).isEqualTo("http");
    });
  }

  @Test
  void upstreamReceivesExactlyTheNormalizedPathTheGateSaw() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream));

    String response = Raw.exchange(proxy.port(),
        "GET /public/../admin//%61b/./c?x=/../%2e HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");

    assertThat(Raw.status(response)).isEqualTo(200);
    assertThat(seen).singleElement().satisfies(r -> assertThat(r.path()).isEqualTo("/admin/ab/c"));
    assertThat(response).contains("uri=/admin/ab/c?x=/../%2e\n");
  }

  @Test
  void stripsHopByHopAndConnectionNamedRequestHeaders() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream));

    String response = Raw.exchange(proxy.port(), "GET /h HTTP/1.1\r\nHost: app.test\r\n"
        + "Connection: close, X-Hop-Secret\r\nX-Hop-Secret: 1\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n"
        + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\nProxy-Connection: keep-alive\r\nTrailer: X-T\r\n"
        + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\nX-Kept: yes\r\n\r\n");

    Map<String, String> echo = TestUpstream.parseEcho(body(response));
    assertThat(echo).containsEntry("header:x-kept", "yes")
        .doesNotContainKeys("header:x-hop-secret", "header:keep-alive", "header:te", "header:proxy-authorization",
            "header:proxy-connection", "header:trailer", "header:upgrade", "header:http2-settings");
    assertThat(echo.get("header:connection")).isNull();
  }

  @Test
  void stripsClientSentPortcullisHeadersInEveryCaseAndUnderscoreSpelling() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(UpstreamTarget.of("echo", upstream.origin()),
        Map.entry("X-Portcullis-User", "alice")));

    String response = Raw.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n"
        + "X-PORTCULLIS-USER: mallory\r\nx_portcullis_jwt_assertion: forged\r\nX-Portcullis_Email: m@evil\r\n"
        + "x-portcullis-groups: admin\r\nX_PORTCULLIS-ROLE: root\r\nX-Portcullisx: kept\r\n\r\n");

    Map<String, String> echo = TestUpstream.parseEcho(body(response));
    assertThat(echo).containsEntry("header:x-portcullis-user", "alice").containsEntry("header:x-portcullisx", "kept")
        .doesNotContainKeys("header:x_portcullis_jwt_assertion", "header:x-portcullis_email",
            "header:x-portcullis-groups", "header:x_portcullis-role");
  }

  @Test
  void stripsConfiguredSessionCookiesAndKeepsTheOthers() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream), b -> b.strippedCookieNames(Set.of("_portcullis", "_pc_csrf")));

    String mixed = Raw.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n"
        + "Cookie: _portcullis=secret-session; theme=dark; _pc_csrf=tok\r\nCookie: lang=en\r\n\r\n");
    String onlySession = Raw.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n"
        + "Cookie: _portcullis=secret-session\r\n\r\n");

    assertThat(TestUpstream.parseEcho(body(mixed))).containsEntry("header:cookie", "theme=dark; lang=en");
    assertThat(mixed).doesNotContain("secret-session").doesNotContain("tok");
    assertThat(TestUpstream.parseEcho(body(onlySession))).doesNotContainKey("header:cookie");
    assertThat(seen.getFirst().cookies()).containsEntry("_portcullis", "secret-session");
  }

  @Test
  void replacesForwardingHeadersFromAnUntrustedPeer() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream));

    String response = Raw.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: app.test:8443\r\nConnection: close\r\n"
        + "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.test\r\n"
        + "Forwarded: for=203.0.113.9\r\nX-Real-IP: 203.0.113.9\r\nX-Forwarded-Port: 1\r\n\r\n");

    assertThat(TestUpstream.parseEcho(body(response)))
        .containsEntry("header:x-forwarded-for", "127.0.0.1")
        .containsEntry("header:x-forwarded-proto", "http")
        .containsEntry("header:x-forwarded-host", "app.test:8443")
        .doesNotContainKeys("header:forwarded", "header:x-real-ip", "header:x-forwarded-port");
    assertThat(seen.getFirst().clientAddress().getHostAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void extendsForwardingHeadersFromATrustedProxy() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream), b -> b.trustedProxies(List.of(Cidr.parse("127.0.0.0/8"))));

    String response = Raw.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n"
        + "X-Forwarded-For: 198.51.100.7, 203.0.113.9\r\nX-Forwarded-Proto: https\r\n\r\n");

    assertThat(TestUpstream.parseEcho(body(response)))
        .containsEntry("header:x-forwarded-for", "198.51.100.7, 203.0.113.9, 127.0.0.1")
        .containsEntry("header:x-forwarded-proto", "https");
    assertThat(seen.getFirst().clientAddress().getHostAddress()).isEqualTo("203.0.113.9");
  }

  @Test
  void sendsTheOriginHostUnlessPreserveHostIsSet() throws Exception {
    TestUpstream upstream = upstream();
    UpstreamTarget target = UpstreamTarget.of("echo", upstream.origin());
    ProxyServer plain = proxy(forwardTo(target));
    ProxyServer preserving = proxy(forwardTo(target.withOptions(target.options().withPreserveHost(true))));
    String request = "GET / HTTP/1.1\r\nHost: App.Example.com:8443\r\nConnection: close\r\n\r\n";

    assertThat(TestUpstream.parseEcho(body(Raw.exchange(plain.port(), request))))
        .containsEntry("header:host", "127.0.0.1:" + upstream.port());
    assertThat(TestUpstream.parseEcho(body(Raw.exchange(preserving.port(), request))))
        .containsEntry("header:host", "App.Example.com:8443");
    assertThat(seen.getFirst().host()).isEqualTo("app.example.com");
    assertThat(seen.getFirst().port()).isEqualTo(8443);
  }

  @Test
  void gateHeadersReplaceClientCopiesOfTheSameName() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(UpstreamTarget.of("echo", upstream.origin()),
        Map.entry("X-Request-Owner", "gate")));

    String response = Raw.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n"
        + "X-Request-Owner: client\r\nx-request-owner: client2\r\n\r\n");

    assertThat(TestUpstream.parseEcho(body(response))).containsEntry("header:x-request-owner", "gate");
  }

  @Test
  void stripsHopByHopResponseHeadersAndKeepsRepeatedSetCookie() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream));

    HttpResponse<String> response = get(proxy, "/r");

    assertThat(response.headers().allValues("set-cookie")).containsExactly("a=1", "b=2");
    assertThat(response.headers().firstValue("x-upstream")).hasValue("yes");
    assertThat(response.headers().map()).doesNotContainKeys("x-drop-me", "keep-alive");
  }

  @Test
  void respondsLocallyWithoutContactingTheUpstream() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(request -> CompletableFuture.completedFuture(new GateResult.Respond(
        SimpleResponse.redirect("https://auth.test/login?rd=x").withSetCookie("a=1; Secure")
            .withSetCookie("b=2; HttpOnly"))));

    HttpResponse<String> response = get(proxy, "/private");

    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.headers().firstValue("location")).hasValue("https://auth.test/login?rd=x");
    assertThat(response.headers().allValues("set-cookie")).containsExactly("a=1; Secure", "b=2; HttpOnly");
    assertThat(upstream.accepted.get()).isZero();
  }

  @Test
  void consumeHandsTheBoundedBodyToTheLocalHandler() throws Exception {
    ProxyServer proxy = proxy(request -> CompletableFuture.completedFuture(new GateResult.Consume(32,
        body -> CompletableFuture.supplyAsync(() ->
            SimpleResponse.text(200, "got " + new String(body, StandardCharsets.UTF_8))))));

    HttpResponse<String> small = client().send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + proxy.port() + "/login"))
        .POST(HttpRequest.BodyPublishers.ofString("user=alice")).build(), HttpResponse.BodyHandlers.ofString());
    String declaredTooLarge = Raw.exchange(proxy.port(), "POST /login HTTP/1.1\r\nHost: a.test\r\n"
        + "Content-Length: 33\r\n\r\n" + "x".repeat(33));
    String chunkedTooLarge = Raw.exchange(proxy.port(), "POST /login HTTP/1.1\r\nHost: a.test\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n14\r\n" + "x".repeat(20) + "\r\n14\r\n" + "x".repeat(20) + "\r\n0\r\n\r\n");

    assertThat(small.statusCode()).isEqualTo(200);
    assertThat(small.body()).isEqualTo("got user=alice");
    assertThat(Raw.status(declaredTooLarge)).isEqualTo(413);
    assertThat(Raw.status(chunkedTooLarge)).isEqualTo(413);
  }

  @Test
  void aFailingGateAnswers500AndNeverForwards() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer throwing = proxy(request -> {
      throw new IllegalStateException("policy store down: secret detail");
    });
    ProxyServer failing = proxy(request -> CompletableFuture.failedFuture(new IllegalStateException("secret detail")));
    ProxyServer nulls = proxy(request -> CompletableFuture.completedFuture(null));

    for (ProxyServer proxy : List.of(throwing, failing, nulls)) {
      HttpResponse<String> response = get(proxy, "/x");
      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.body()).doesNotContain("secret").doesNotContain("Exception");
    }
    assertThat(upstream.accepted.get()).isZero();
  }

  @Test
  void aGateCompletingLaterOnAnotherThreadIsHonoured() throws Exception {
    TestUpstream upstream = upstream();
    GateResult forward = GateResult.Forward.to(UpstreamTarget.of("echo", upstream.origin()));
    ProxyServer proxy = proxy(request -> CompletableFuture.supplyAsync(() -> forward,
        CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)));

    HttpResponse<String> response = client().send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + proxy.port() + "/late")).POST(HttpRequest.BodyPublishers.ofString("body")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(TestUpstream.parseEcho(response.body())).containsEntry("uri", "/late").containsEntry("body-length", "4");
  }

  @Test
  void answersPipelinedRequestsInOrder() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream));

    String response = Raw.exchange(proxy.port(), "POST /one HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5\r\n\r\n"
        + "a\r\n b" + "GET /two HTTP/1.1\r\nHost: a.test\r\n\r\n"
        + "GET /three HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");

    assertThat(response.split("HTTP/1.1 200", -1)).hasSize(4);
    assertThat(response.indexOf("uri=/one")).isLessThan(response.indexOf("uri=/two"));
    assertThat(response.indexOf("uri=/two")).isLessThan(response.indexOf("uri=/three"));
  }

  @Test
  void answersHeadWithoutABodyAndKeepsTheConnectionUsable() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream));

    String response = Raw.exchange(proxy.port(), "HEAD /h HTTP/1.1\r\nHost: a.test\r\n\r\n"
        + "GET /next HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");

    int second = response.indexOf("HTTP/1.1 200", 1);
    assertThat(response).startsWith("HTTP/1.1 200");
    assertThat(second).as("the HEAD response has headers only").isEqualTo(response.indexOf("\r\n\r\n") + 4);
    assertThat(response.substring(0, second)).containsIgnoringCase("content-length:");
    assertThat(response.substring(second)).contains("uri=/next");
  }

  @Test
  void delimitsUnknownLengthResponsesByClosingForHttp10Clients() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream));

    String response = Raw.exchange(proxy.port(), "GET /chunked/100 HTTP/1.0\r\nHost: a.test\r\n\r\n");

    assertThat(Raw.status(response)).isEqualTo(200);
    assertThat(response.toLowerCase()).doesNotContain("transfer-encoding").contains("connection: close");
    assertThat(body(response)).hasSize(100);
  }

  @Test
  void cutsTheClientConnectionWhenTheUpstreamDiesMidBody() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream));

    long start = System.nanoTime();
    String response = Raw.exchange(proxy.port(), "GET /die HTTP/1.1\r\nHost: a.test\r\n\r\n");

    assertThat(Raw.status(response)).isEqualTo(200);
    assertThat(body(response).length()).isLessThan(1000);
    assertThat(System.nanoTime() - start).as("closed, not left hanging").isLessThan(3_000_000_000L);
  }

  static String body(String rawResponse) {
    return rawResponse.substring(rawResponse.indexOf("\r\n\r\n") + 4);
  }
}
