package dev.portcullis.testing.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Waits until a provider process serves its discovery document for the expected issuer. */
public final class Discovery {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Discovery() {}

  /** Returns true when the document names {@code issuer}; false if the process died or time ran out. */
  public static boolean await(URI issuer, ChildProcess process, Duration timeout) {
    URI url = URI.create(issuer.toString().replaceAll("/$", "") + "/.well-known/openid-configuration");
    String expected = "\"issuer\"";
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        HttpResponse<String> response = HTTP.send(
            HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains(expected)
            && response.body().replace("\\/", "/").contains("\"" + issuer + "\"")) {
          return true;
        }
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
