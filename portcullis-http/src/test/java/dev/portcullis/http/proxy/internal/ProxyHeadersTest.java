package dev.portcullis.http.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyHeadersTest {

  @ParameterizedTest
  @ValueSource(strings = {"X-Portcullis-User", "X-PORTCULLIS-USER", "x_portcullis_jwt_assertion",
      "X_Portcullis-Email", "x-portcullis_groups", "x-portcullis-", "X_PORTCULLIS_"})
  void recognisesInternalHeadersInEverySpelling(String name) {
    assertThat(ProxyHeaders.isInternal(name)).isTrue();
    assertThat(ProxyHeaders.dropFromClient(name, Set.of(), true)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-Portcullisx", "X-Portcullis", "portcullis-user", "x-portcul", "X.Portcullis-User"})
  void leavesOtherHeadersAlone(String name) {
    assertThat(ProxyHeaders.isInternal(name)).isFalse();
  }

  @Test
  void dropsHopByHopRewrittenAndConnectionNamedHeaders() {
    Set<String> named = Set.of("x-hop");
    for (String name : List.of("Connection", "KEEP-ALIVE", "te", "Transfer-Encoding", "Upgrade", "Proxy-Connection",
        "Proxy-Authorization", "Trailer", "HTTP2-Settings", "Host", "Cookie", "Expect", "x-http2-stream-id", "X-Hop")) {
      assertThat(ProxyHeaders.dropFromClient(name, named, false)).as(name).isTrue();
    }
    assertThat(ProxyHeaders.dropFromClient("Authorization", named, false)).isFalse();
    assertThat(ProxyHeaders.dropFromClient("Content-Length", named, false)).isFalse();
  }

  @Test
  void keepsOnlyATrustedPeersProtoAndHost() {
    for (String name : List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Real-IP")) {
      assertThat(ProxyHeaders.dropFromClient(name, Set.of(), false)).as(name).isTrue();
    }
    assertThat(ProxyHeaders.dropFromClient("X-Forwarded-Proto", Set.of(), true)).isFalse();
    assertThat(ProxyHeaders.dropFromClient("X-Forwarded-Host", Set.of(), true)).isFalse();
    assertThat(ProxyHeaders.dropFromClient("X-Forwarded-For", Set.of(), true)).isTrue();
    assertThat(ProxyHeaders.dropFromClient("Forwarded", Set.of(), true)).isTrue();
  }

  @Test
  void filtersCookiesByExactNameAndKeepsTheRestAsSent() {
    Set<String> stripped = Set.of("_portcullis", "_portcullis_csrf");

    assertThat(ProxyHeaders.filterCookies(List.of("_portcullis=a; x=1;y=\"q r\"", " _portcullis_csrf=b ; _portcullisx=c"),
        stripped)).isEqualTo("x=1; y=\"q r\"; _portcullisx=c");
    assertThat(ProxyHeaders.filterCookies(List.of("_portcullis=a", "_portcullis =b"), stripped)).isNull();
    assertThat(ProxyHeaders.filterCookies(List.of(), stripped)).isNull();
  }

  @Test
  void readsEveryConnectionFieldNotJustACommonFirstOne() {
    HttpHeaders split = new DefaultHttpHeaders().add("Connection", "keep-alive").add("Connection", "X-Secret");
    HttpHeaders single = new DefaultHttpHeaders().add("Connection", "Keep-Alive");
    HttpHeaders close = new DefaultHttpHeaders().add("Connection", "close");

    assertThat(ProxyHeaders.connectionOptions(split)).containsExactlyInAnyOrder("keep-alive", "x-secret");
    assertThat(ProxyHeaders.connectionOptions(single)).containsExactly("keep-alive");
    assertThat(ProxyHeaders.connectionOptions(close)).containsExactly("close");
    assertThat(ProxyHeaders.connectionOptions(new DefaultHttpHeaders())).isEmpty();
    assertThat(ProxyHeaders.dropFromClient("X-Secret", ProxyHeaders.connectionOptions(split), false)).isTrue();
  }

  @Test
  void stripsHopByHopAndConnectionNamedFieldsFromResponses() {
    HttpHeaders headers = new DefaultHttpHeaders().add("Connection", "keep-alive, X-Secret").add("X-Secret", "1")
        .add("Keep-Alive", "timeout=5").add("Transfer-Encoding", "chunked").add("Set-Cookie", "a=1")
        .add("Set-Cookie", "b=2").add("Content-Length", "3");

    ProxyHeaders.stripHopByHop(headers);

    assertThat(headers.names()).containsExactlyInAnyOrder("Set-Cookie", "Content-Length");
    assertThat(headers.getAll("set-cookie")).containsExactly("a=1", "b=2");
  }
}
