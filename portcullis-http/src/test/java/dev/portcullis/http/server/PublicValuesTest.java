package dev.portcullis.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PublicValuesTest {

  @Test
  void simpleResponseRefusesHeaderInjectionAndFramingHeaders() {
    assertThatThrownBy(() -> SimpleResponse.redirect("https://a.test/\r\nSet-Cookie: x=1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("headers");
    assertThatThrownBy(() -> SimpleResponse.text(200, "ok").withHeader("Bad Name", "v"))
        .hasMessageContaining("token");
    assertThatThrownBy(() -> SimpleResponse.text(200, "ok").withHeader("Content-Length", "1"))
        .hasMessageContaining("framing");
    assertThatThrownBy(() -> SimpleResponse.text(99, "x")).hasMessageContaining("status: 99");
    assertThatThrownBy(() -> SimpleResponse.redirect(200, "/x")).hasMessageContaining("300..399");
  }

  @Test
  void simpleResponseHelpersSetTypeAndNoStore() {
    SimpleResponse json = SimpleResponse.json(401, "{\"error\":\"login\"}").withSetCookie("a=1").withSetCookie("b=2");

    assertThat(json.headers()).contains(Map.entry("content-type", "application/json"),
        Map.entry("cache-control", "no-store"), Map.entry("set-cookie", "a=1"), Map.entry("set-cookie", "b=2"));
    assertThat(json.toString()).doesNotContain("a=1");
    byte[] body = json.body();
    body[0] = 'X';
    assertThat(json.body()[0]).isEqualTo((byte) '{');
  }

  @Test
  void forwardRefusesGateHeadersThatCouldSplitTheRequest() {
    UpstreamTarget target = UpstreamTarget.of("app", "http://127.0.0.1:1");
    assertThatThrownBy(() -> new GateResult.Forward(target, List.of(Map.entry("X-Portcullis-User", "a\r\nX: y"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GateResult.Consume(-1, b -> CompletableFuture.completedFuture(null)))
        .hasMessageContaining("maxBodyBytes: -1");
  }

  @Test
  void upstreamTargetAcceptsOnlyBareOrigins() {
    UpstreamTarget target = UpstreamTarget.of("app", "https://App.Internal:443");
    assertThat(target.host()).isEqualTo("app.internal");
    assertThat(target.port()).isEqualTo(443);
    assertThat(target.hostHeader()).isEqualTo("app.internal");
    assertThat(UpstreamTarget.of("v6", "http://[::1]:8080").hostHeader()).isEqualTo("[::1]:8080");
    for (String bad : List.of("ftp://a", "http://a/path", "http://a?q", "http://u@a", "a:80")) {
      assertThatThrownBy(() -> UpstreamTarget.of("x", bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> UpstreamOptions.DEFAULTS.withConnectTimeout(Duration.ZERO))
        .hasMessageContaining("connectTimeout: PT0S (expected: > 0)");
  }

  @Test
  void cidrMatchesByPrefix() {
    assertThat(Cidr.parse("10.0.0.0/8").contains(address("10.200.1.1"))).isTrue();
    assertThat(Cidr.parse("10.0.0.0/8").contains(address("11.0.0.1"))).isFalse();
    assertThat(Cidr.parse("192.168.1.128/25").contains(address("192.168.1.200"))).isTrue();
    assertThat(Cidr.parse("192.168.1.128/25").contains(address("192.168.1.100"))).isFalse();
    assertThat(Cidr.parse("::1").contains(address("::1"))).isTrue();
    assertThat(Cidr.parse("::1").contains(address("127.0.0.1"))).isFalse();
    assertThatThrownBy(() -> Cidr.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefixLength: 33");
  }

  @Test
  void clientRequestExposesCookiesFirstWinsAndRedactsSecretsInToString() {
    RequestHeaders headers = RequestHeaders.of(List.of(Map.entry("Cookie", "a=1; b=2; a=3"),
        Map.entry("Authorization", "Bearer secret-token"), Map.entry("X-Thing", "v")));
    ClientRequest request = new ClientRequest("GET", "https", "app.test", 443, "/p", "code=secret-code", headers,
        new InetSocketAddress("127.0.0.1", 1234), address("127.0.0.1"), "HTTP/1.1", false);

    assertThat(request.cookies()).containsEntry("a", "1").containsEntry("b", "2");
    assertThat(request.header("x-thing")).hasValue("v");
    assertThat(request.headers().get("AUTHORIZATION")).isEqualTo("Bearer secret-token");
    assertThat(request.pathAndQuery()).isEqualTo("/p?code=secret-code");
    assertThat(request.toString()).doesNotContain("secret-token").doesNotContain("secret-code")
        .doesNotContain("a=1");
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

}
