package dev.portcullis.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Bodies stream through in both directions, and a slow side slows the other instead of filling memory. */
class StreamingTest extends ProxyTestSupport {

  static final long BIG = 64L * 1024 * 1024;
  static final long HUGE = 512L * 1024 * 1024;
  /** Far below what either side offers, far above what socket buffers and one read batch can hold. */
  static final long BUFFERED_BOUND = 48L * 1024 * 1024;

  @Test
  void streamsA64MiBUploadIntact() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream));
    MessageDigest expected = MessageDigest.getInstance("SHA-256");

    HttpResponse<String> response = client().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/upload"))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(BIG, expected))).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(TestUpstream.parseEcho(response.body()))
        .containsEntry("body-length", Long.toString(BIG))
        .containsEntry("body-sha256", HexFormat.of().formatHex(expected.digest()));
  }

  @Test
  void streamsA64MiBDownloadIntactWithAndWithoutContentLength() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream));

    for (String route : new String[] {"/bytes/", "/chunked/"}) {
      HttpResponse<InputStream> response = client().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + route + BIG)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      MessageDigest actual = MessageDigest.getInstance("SHA-256");
      long count = 0;
      try (InputStream in = response.body()) {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
          actual.update(buffer, 0, n);
          count += n;
        }
      }
      MessageDigest expected = MessageDigest.getInstance("SHA-256");
      new PatternStream(BIG, expected).transferTo(OutputStream.nullOutputStream());
      assertThat(count).as(route).isEqualTo(BIG);
      assertThat(actual.digest()).as(route).isEqualTo(expected.digest());
    }
  }

  @Test
  void aClientThatStopsReadingStopsTheUpstreamFromSending() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream));

    try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
      socket.setReceiveBufferSize(64 * 1024);
      socket.getOutputStream().write(("GET /bytes/" + HUGE + " HTTP/1.1\r\nHost: a\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      long plateau = waitForPlateau(upstream.bytesSent);

      assertThat(plateau).isGreaterThan(0).isLessThan(BUFFERED_BOUND);
      // And it resumes once the client reads again.
      InputStream in = socket.getInputStream();
      in.readNBytes(32 * 1024 * 1024);
      assertThat(upstream.bytesSent.get()).isGreaterThan(plateau);
    }
  }

  @Test
  void anUpstreamThatStopsReadingStopsTheClientUpload() throws Exception {
    TestUpstream upstream = upstream();
    ProxyServer proxy = proxy(forwardTo(upstream));
    AtomicLong written = new AtomicLong();

    Socket socket = new Socket("127.0.0.1", proxy.port());
    socket.setSendBufferSize(64 * 1024);
    Thread writer = Thread.ofVirtual().start(() -> {
      try {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /stall HTTP/1.1\r\nHost: a\r\nContent-Length: " + HUGE + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        byte[] chunk = new byte[64 * 1024];
        while (written.get() < HUGE) {
          out.write(chunk);
          written.addAndGet(chunk.length);
        }
      } catch (Exception e) {
        // the socket is closed at the end of the test
      }
    });
    try {
      long plateau = waitForPlateau(written);
      assertThat(plateau).isGreaterThan(0).isLessThan(BUFFERED_BOUND);
    } finally {
      socket.close();
      writer.join(5000);
    }
  }

  /** Waits until {@code counter} stops growing for 500 ms (at most 10 s) and returns its value. */
  private static long waitForPlateau(AtomicLong counter) throws InterruptedException {
    long last = -1;
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      Thread.sleep(500);
      long now = counter.get();
      if (now == last && now > 0) {
        return now;
      }
      last = now;
    }
    return counter.get();
  }

  /** The upstream's byte pattern as a stream, optionally feeding a digest. */
  static final class PatternStream extends InputStream {
    private final long length;
    private final MessageDigest digest;
    private long position;

    PatternStream(long length, MessageDigest digest) {
      this.length = length;
      this.digest = digest;
    }

    @Override
    public int read() {
      if (position >= length) {
        return -1;
      }
      byte b = TestUpstream.patternByte(position++);
      digest.update(b);
      return b & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) {
      if (position >= length) {
        return -1;
      }
      int n = (int) Math.min(count, length - position);
      for (int i = 0; i < n; i++) {
        buffer[offset + i] = TestUpstream.patternByte(position + i);
      }
      digest.update(buffer, offset, n);
      position += n;
      return n;
    }
  }
}
