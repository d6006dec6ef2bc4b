package dev.portcullis.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests that could be framed or routed two ways are refused before the gate, and the connection closed. */
class RequestValidationTest extends ProxyTestSupport {

  private TestUpstream upstream;
  private ProxyServer proxy;

  @BeforeEach
  void start() {
    upstream = upstream();
    proxy = proxy(forwardTo(upstream), b -> b.maxRequestLineBytes(1024).maxHeaderBytes(2048));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "Content-Length with Transfer-Encoding|POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n",
      "Transfer-Encoding with Content-Length|POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 5\\r\\n\\r\\n0\\r\\n\\r\\n",
      "duplicate equal Content-Length|POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3\\r\\nContent-Length: 3\\r\\n\\r\\nabc",
      "conflicting Content-Length|POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3\\r\\nContent-Length: 4\\r\\n\\r\\nabcd",
      "Content-Length list|POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3, 3\\r\\n\\r\\nabc",
      "signed Content-Length|POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: +3\\r\\n\\r\\nabc",
      "obs-fold with space|GET / HTTP/1.1\\r\\nHost: a\\r\\nX-A: b\\r\\n c\\r\\n\\r\\n",
      "obs-fold with tab|GET / HTTP/1.1\\r\\nHost: a\\r\\nX-A: b\\r\\n\\tc\\r\\n\\r\\n",
      "folded Transfer-Encoding|POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding:\\r\\n chunked\\r\\n\\r\\n0\\r\\n\\r\\n",
      "whitespace before the first header|GET / HTTP/1.1\\r\\n Host: a\\r\\n\\r\\n",
      "gzip coding|POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\nabc",
      "gzip then chunked|POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n0\\r\\n\\r\\n",
      "chunked twice|POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n",
      "identity coding|POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: identity\\r\\n\\r\\n",
      "chunked in HTTP/1.0|POST / HTTP/1.0\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n",
      "space before colon|GET / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding : chunked\\r\\n\\r\\n",
      "invalid header name|GET / HTTP/1.1\\r\\nHost: a\\r\\nX(A): b\\r\\n\\r\\n",
      "NUL in header value|GET / HTTP/1.1\\r\\nHost: a\\r\\nX-A: b\\u0000c\\r\\n\\r\\n",
      "bare LF line ends|GET / HTTP/1.1\\nHost: a\\n\\n",
      "absolute-form target|GET http://a/admin HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
      "authority-form target|GET a:80 HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
      "asterisk-form target|OPTIONS * HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
      "missing Host|GET / HTTP/1.1\\r\\n\\r\\n",
      "two Host fields|GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n",
      "invalid Host|GET / HTTP/1.1\\r\\nHost: a/b\\r\\n\\r\\n",
      "dot-dot above the root|GET /../admin HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
      "encoded dot-dot above the root|GET /%2e%2e/admin HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
      "encoded slash|GET /a%2fb HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
      "encoded backslash|GET /a%5Cb HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
      "raw backslash|GET /a\\\\..\\\\admin HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
      "encoded NUL|GET /a%00 HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
      "control byte in path|GET /a\\u0001b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
      "invalid escape|GET /a%zz HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
      "Tomcat path parameter traversal|GET /public/..;/admin HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
  })
  void refusesAmbiguousRequestsWith400AndCloses(String name, String escaped) throws Exception {
    assertRefused(unescape(escaped), 400);
  }

  @Test
  void refusesConnectWith405() throws Exception {
    assertRefused("CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\n\r\n", 405);
  }

  @Test
  void refusesOverlongRequestLinesWith414() throws Exception {
    assertRefused("GET /" + "a".repeat(2000) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414);
  }

  @Test
  void refusesOversizedHeadersWith431() throws Exception {
    assertRefused("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "a".repeat(3000) + "\r\n\r\n", 431);
  }

  @Test
  void refusesUnknownExpectationsWith417() throws Exception {
    assertRefused("POST / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx", 417);
  }

  @Test
  void refusesAnUnknownHttpVersion() throws Exception {
    assertRefused("GET / HTTP/1.7\r\nHost: a\r\n\r\n", 505);
  }

  @Test
  void doesNotMistakeBodyBytesForFoldedHeaders() throws Exception {
    String response = Raw.exchange(proxy.port(), "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 8\r\n\r\n"
        + "x\r\n y\r\n\tz" + "GET /b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

    assertThat(response).contains("uri=/a\n").contains("uri=/b\n").doesNotContain("400 Bad Request");
  }

  @Test
  void detectsObsFoldSplitAcrossSeparateReads() throws Exception {
    String response = writeInPieces("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n", " c\r\n\r\n");

    assertThat(Raw.status(response)).isEqualTo(400);
    assertThat(seen).isEmpty();
  }

  @Test
  void acceptsAWellFormedRequestArrivingInTinyPieces() throws Exception {
    String request = "POST /p HTTP/1.1\r\nHost: a\r\nX-A: b c\r\nContent-Length: 4\r\n\r\n \r\n "
        + "GET /q HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
    String[] pieces = new String[(request.length() + 6) / 7];
    for (int i = 0; i < pieces.length; i++) {
      pieces[i] = request.substring(i * 7, Math.min(request.length(), i * 7 + 7));
    }

    String response = writeInPieces(pieces);

    assertThat(response).contains("uri=/p\n").contains("body-length=4").contains("uri=/q\n");
  }

  private String writeInPieces(String... pieces) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
      socket.setSoTimeout(5000);
      socket.setTcpNoDelay(true);
      for (String piece : pieces) {
        socket.getOutputStream().write(piece.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        Thread.sleep(5);
      }
      return Raw.readAll(socket.getInputStream());
    }
  }

  @Test
  void answersExpectContinueBeforeTheBodyIsSent() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(("POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      byte[] interim = in.readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length());
      assertThat(new String(interim, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
      socket.getOutputStream().write("body".getBytes(StandardCharsets.ISO_8859_1));
      String rest = Raw.readAll(in);
      assertThat(Raw.status(rest)).isEqualTo(200);
      assertThat(rest).contains("body-length=4").doesNotContain("header:expect");
    }
  }

  private void assertRefused(String request, int status) throws Exception {
    String response = Raw.exchange(proxy.port(), request);
    assertThat(Raw.status(response)).as(response).isEqualTo(status);
    assertThat(response).containsIgnoringCase("connection: close").doesNotContain("Exception").doesNotContain("at io.");
    assertThat(seen).as("the gate must not be asked").isEmpty();
    assertThat(upstream.accepted.get()).isZero();
  }

  private static String unescape(String text) {
    return text.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\u0000", "\u0000")
        .replace("\\u0001", "\u0001").replace("\\\\", "\\");
  }
}
