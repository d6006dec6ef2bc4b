package dev.portcullis.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The client idle timeout: a silent connection is closed, one that keeps talking is not. */
class ClientIdleTest extends ProxyTestSupport {

  private static final String REQUEST = "GET /x HTTP/1.1\r\nHost: a\r\n\r\n";

  private ProxyServer idleAfter(Duration idle) {
    GateResult ok = new GateResult.Respond(SimpleResponse.text(200, "ok"));
    return proxy(request -> CompletableFuture.completedFuture(ok),
        b -> b.clientIdleTimeout(idle).requestHeaderTimeout(Duration.ofSeconds(30)));
  }

  @Test
  void closesAKeepAliveConnectionThatStaysSilentForTheIdleTimeout() throws Exception {
    ProxyServer proxy = idleAfter(Duration.ofMillis(300));

    try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(REQUEST.getBytes(StandardCharsets.ISO_8859_1));
      assertThat(readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200 ");
      long answered = System.nanoTime();

      assertThat(socket.getInputStream().read()).as("the server closed the silent connection").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - answered)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
    }
  }

  @Test
  void keepsAConnectionThatKeepsSendingRequestsOpenPastTheIdleTimeout() throws Exception {
    ProxyServer proxy = idleAfter(Duration.ofMillis(400));

    try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
      socket.setSoTimeout(5000);
      long start = System.nanoTime();
      // Ten requests 150 ms apart span more than three idle timeouts, but no gap reaches one.
      for (int i = 0; i < 10; i++) {
        socket.getOutputStream().write(REQUEST.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(readResponse(socket.getInputStream())).as("response %d", i).startsWith("HTTP/1.1 200 ");
        Thread.sleep(150);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1200));
    }
  }

  /** One response whose body is the gate's {@code ok}; fails if the connection ends first. */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (!out.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\nok")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after: " + out.toString(StandardCharsets.ISO_8859_1));
      }
      out.write(b);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
