package dev.portcullis.server;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An HTTP client that behaves like a browser for the tests: its own cookie jar, trust in the test
 * server's certificate only, and redirects followed one at a time so tests can watch each hop.
 */
public final class TestBrowser {
  private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient client;

  public TestBrowser(Path trustedCertificate) {
    this(trustedCertificate, HttpClient.Version.HTTP_2);
  }

  public TestBrowser(Path trustedCertificate, HttpClient.Version version) {
    this.client = HttpClient.newBuilder()
        .sslContext(TestTls.trusting(trustedCertificate))
        .cookieHandler(cookies)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .version(version)
        .build();
  }

  public CookieManager cookies() {
    return cookies;
  }

  public HttpResponse<String> get(URI uri) {
    return send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET());
  }

  public HttpResponse<String> get(URI uri, Map<String, String> headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET();
    headers.forEach(builder::header);
    return send(builder);
  }

  public HttpResponse<String> postForm(URI uri, Map<String, String> form) {
    String body = form.entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Follows redirects from {@code start} while they stay on {@code *.localhost} hosts of the test
   * server, and returns the last response: a page, or the redirect that leaves (to an identity provider).
   */
  public HttpResponse<String> follow(URI start) {
    HttpResponse<String> response = get(start);
    for (int hops = 0; hops < 15 && isRedirect(response); hops++) {
      URI next = response.uri().resolve(response.headers().firstValue("location").orElseThrow());
      if (next.getHost() == null || !next.getHost().endsWith(".localhost")) {
        return response;
      }
      response = get(next);
    }
    return response;
  }

  public static boolean isRedirect(HttpResponse<?> response) {
    return response.statusCode() >= 300 && response.statusCode() < 400 && response.headers().firstValue("location").isPresent();
  }

  public static URI location(HttpResponse<?> response) {
    return response.uri().resolve(response.headers().firstValue("location").orElseThrow(
        () -> new AssertionError("expected a redirect, got " + response.statusCode() + ": " + response.body())));
  }

  private static String enc(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }
}
