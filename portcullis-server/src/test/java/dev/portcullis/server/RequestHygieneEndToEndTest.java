package dev.portcullis.server;

import static dev.portcullis.server.WebFixtures.LOCAL_CONFIG;
import static dev.portcullis.server.WebFixtures.signInLocally;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Through the whole server: the upstream sees exactly what the policy saw, and nothing a client forged. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestHygieneEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private TestServer server;
  private String cookie;

  @BeforeAll
  void start(@TempDir Path tempDir) {
    server = TestServer.start(tempDir, LOCAL_CONFIG);
    TestBrowser browser = new TestBrowser(server.certificate());
    signInLocally(browser, server.url("whoami", "/"), "alice", TestServer.PASSWORD, null);
    cookie = browser.cookies().getCookieStore().get(server.url("whoami", "/")).stream()
        .filter(c -> c.getName().equals("_portcullis")).findFirst().orElseThrow().getValue();
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/public/../admin", "/public/%2e%2e/admin", "/public/%2E%2E/admin", "//admin", "/./admin",
      "/public/..%2fadmin", "/%61dmin"})
  void aPathThatResolvesToADeniedPrefixIsDenied(String path) {
    String response = get(path, "");
    assertThat(RawHttps.status(response)).as(path + " -> " + response.lines().findFirst().orElse("")).isIn(400, 403);
  }

  @ParameterizedTest
  @CsvSource({"/public/../hello,/hello", "/a/./b/../c,/a/c", "//double//slash,/double/slash", "/%7Euser,/~user"})
  void theUpstreamReceivesTheNormalizedPathThePolicySaw(String sent, String received) throws Exception {
    String response = get(sent, "Accept: application/json\r\n");
    assertThat(RawHttps.status(response)).isEqualTo(200);
    assertThat(report(response).path("uri").asText()).isEqualTo(received);
  }

  @Test
  void clientSentPortcullisHeadersNeverReachTheUpstreamInAnyCaseOrSpelling() throws Exception {
    String forged = "X-Portcullis-Jwt-Assertion: forged\r\nx-portcullis-user: root\r\nX-PORTCULLIS-GROUPS: admin\r\n"
        + "X_Portcullis_Email: root@example.com\r\nx-PoRtCuLlIs-roles: admin\r\nAccept: application/json\r\n";

    JsonNode headers = report(get("/", forged)).path("headers");

    assertThat(headers.path("x-portcullis-jwt-assertion")).hasSize(1);
    assertThat(headers.path("x-portcullis-jwt-assertion").path(0).asText()).isNotEqualTo("forged").contains(".");
    headers.fieldNames().forEachRemaining(name -> {
      String normalized = name.toLowerCase().replace('_', '-');
      if (normalized.startsWith("x-portcullis-")) {
        assertThat(normalized).isEqualTo("x-portcullis-jwt-assertion");
      }
    });
    assertThat(headers.path("cookie").toString()).doesNotContain("_portcullis");
  }

  @Test
  void forwardAuthAnswersOnlyTrustedProxies() {
    String response = RawHttps.exchange(server.certificate(), "portcullis.localhost", server.port,
        "GET /.portcullis/verify HTTP/1.1\r\nHost: portcullis.localhost\r\nX-Forwarded-Host: whoami.localhost\r\n"
            + "X-Forwarded-Uri: /\r\nCookie: _portcullis=" + cookie + "\r\nConnection: close\r\n\r\n");
    assertThat(RawHttps.status(response)).as(response).isEqualTo(403);
    assertThat(response).doesNotContain("X-Portcullis-Jwt-Assertion").doesNotContain("x-portcullis-jwt-assertion");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "POST / HTTP/1.1\r\nHost: whoami.localhost\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: whoami.localhost\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde",
      "POST / HTTP/1.1\r\nHost: whoami.localhost\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nabcd",
      "GET / HTTP/1.1\r\nHost: whoami.localhost\r\nX-Folded: a\r\n b\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: whoami.localhost\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"})
  void requestSmugglingAttemptsAreRejectedWith400(String request) {
    String withCookie = request.replaceFirst("\r\n", "\r\nCookie: _portcullis=" + cookie + "\r\n");
    String response = RawHttps.exchange(server.certificate(), "whoami.localhost", server.port, withCookie);
    assertThat(RawHttps.status(response)).as(response).isEqualTo(400);
  }

  private String get(String path, String extraHeaders) {
    return RawHttps.exchange(server.certificate(), "whoami.localhost", server.port,
        "GET " + path + " HTTP/1.1\r\nHost: whoami.localhost:" + server.port + "\r\nCookie: _portcullis=" + cookie
            + "\r\n" + extraHeaders + "Connection: close\r\n\r\n");
  }

  private static JsonNode report(String response) throws Exception {
    return JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4).replaceAll("(?s)^[0-9a-f]+\r\n", ""));
  }
}
