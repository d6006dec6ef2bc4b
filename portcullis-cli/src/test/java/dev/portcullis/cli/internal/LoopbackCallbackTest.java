package dev.portcullis.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loopback listener of the browser sign-in: exactly one GET /callback with the right state gets through. */
class LoopbackCallbackTest {

  private static final String STATE = "s-0123456789abcdefghijklmnopqrstuvwxyzABCDEF";

  private final HttpClient http = HttpClient.newHttpClient();
  private LoopbackCallback callback;

  @BeforeEach
  void start() throws Exception {
    callback = LoopbackCallback.start(STATE);
  }

  @AfterEach
  void stop() {
    callback.close();
    http.close();
  }

  @Test
  void listensOnLoopbackAndReturnsTheCodeOfTheMatchingCallback() throws Exception {
    HttpResponse<String> page = get("/callback?code=one-time&state=" + STATE);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    assertThat(callback.await(Duration.ofSeconds(1))).isEqualTo("one-time");
  }

  @Test
  void acceptsOnlyTheFirstCallback() throws Exception {
    get("/callback?code=first&state=" + STATE);

    HttpResponse<String> again = get("/callback?code=second&state=" + STATE);

    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(callback.await(Duration.ofSeconds(1))).isEqualTo("first");
  }

  @Test
  void endsTheSignInOnAWrongState() throws Exception {
    HttpResponse<String> page = get("/callback?code=stolen&state=" + STATE.substring(1) + "x");

    assertThat(page.statusCode()).isEqualTo(400);
    assertThatThrownBy(() -> callback.await(Duration.ofSeconds(1))).isInstanceOf(CliFailure.class)
        .hasMessageContaining("state this command did not send");
  }

  @Test
  void refusesARepeatedStateParameter() throws Exception {
    HttpResponse<String> page = get("/callback?code=c&state=" + STATE + "&state=" + STATE);

    assertThat(page.statusCode()).isEqualTo(400);
    assertThatThrownBy(() -> callback.await(Duration.ofSeconds(1))).isInstanceOf(CliFailure.class);
  }

  @Test
  void ignoresOtherPathsAndMethodsAndKeepsWaiting() throws Exception {
    assertThat(get("/callbackx?code=c&state=" + STATE).statusCode()).isEqualTo(404);
    assertThat(get("/?code=c&state=" + STATE).statusCode()).isEqualTo(404);
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/callback?code=c&state=" + STATE))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);

    assertThatThrownBy(() -> callback.await(Duration.ofMillis(200))).isInstanceOf(CliFailure.class)
        .hasMessageContaining("no sign-in came back from the browser");
  }

  @Test
  void failsWhenTheCallbackHasNoCode() throws Exception {
    assertThat(get("/callback?state=" + STATE).statusCode()).isEqualTo(400);

    assertThatThrownBy(() -> callback.await(Duration.ofSeconds(1))).hasMessageContaining("without a sign-in code");
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + callback.port() + pathAndQuery);
  }
}
