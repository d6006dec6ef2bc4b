package dev.portcullis.testing;

import dev.portcullis.testing.internal.CookieJar;
import dev.portcullis.testing.internal.HtmlForms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A headless browser for one provider: follows redirects, keeps cookies, and fills in the sign-in,
 * consent and sign-out forms. It stops at the first redirect that leaves the provider and returns it
 * without fetching it, so the test can hand the callback to the relying party itself.
 */
public final class ProviderBrowser {

  private static final int MAX_STEPS = 20;

  private final URI provider;
  private final HttpClient http;

  ProviderBrowser(URI provider) {
    this.provider = provider;
    this.http = HttpClient.newBuilder()
        .cookieHandler(new CookieJar())
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /**
   * Opens an authorization URL and signs in, granting consent if asked. Returns the redirect back to
   * the relying party (carrying {@code code} and {@code state}, or {@code error}).
   *
   * @throws IllegalStateException if the provider rejects the password or the flow goes astray
   */
  public URI login(URI authorizationUrl, String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    return browse(authorizationUrl, Map.of("username", username, "password", password));
  }

  /** Opens an RP-initiated logout URL, confirms the sign-out, and returns where the provider sends the browser. */
  public URI logout(URI endSessionUrl) {
    return browse(endSessionUrl, Map.of());
  }

  /** Opens a URL with this browser's cookies: a second authorization needs no password while the session lasts. */
  public URI open(URI url) {
    return browse(url, Map.of());
  }

  private URI browse(URI start, Map<String, String> credentials) {
    HttpRequest request = HttpRequest.newBuilder(start).GET().timeout(Duration.ofSeconds(10)).build();
    boolean passwordSent = false;
    for (int step = 0; step < MAX_STEPS; step++) {
      HttpResponse<String> response = send(request);
      URI current = request.uri();
      int status = response.statusCode();
      if (status >= 300 && status < 400) {
        URI next = current.resolve(response.headers().firstValue("Location")
            .orElseThrow(() -> new IllegalStateException("redirect without Location from " + current)));
        if (!sameOrigin(next)) {
          return next;
        }
        request = HttpRequest.newBuilder(next).GET().timeout(Duration.ofSeconds(10)).build();
        continue;
      }
      List<HtmlForms.Form> forms = HtmlForms.parse(response.body());
      if (forms.isEmpty()) {
        if (status == 200 && credentials.isEmpty()) {
          return current; // A final page on the provider, such as "signed out".
        }
        throw new IllegalStateException("HTTP " + status + " without a form at " + current + ":\n" + response.body());
      }
      HtmlForms.Form form = forms.getFirst();
      Map<String, String> fields = new LinkedHashMap<>(form.fields());
      if (form.inputNames().contains("password")) {
        if (passwordSent || credentials.isEmpty()) {
          throw new IllegalStateException("the provider asked for a password again (HTTP " + status + "): rejected sign-in");
        }
        fields.putAll(credentials);
        passwordSent = true;
      }
      URI action = current.resolve(form.action().isEmpty() ? current.toString() : form.action());
      request = HttpRequest.newBuilder(action)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(encode(fields)))
          .timeout(Duration.ofSeconds(10))
          .build();
    }
    throw new IllegalStateException("no redirect out of " + provider + " after " + MAX_STEPS + " steps from " + start);
  }

  private boolean sameOrigin(URI uri) {
    return Objects.equals(uri.getScheme(), provider.getScheme())
        && Objects.equals(uri.getHost(), provider.getHost())
        && uri.getPort() == provider.getPort();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("request to " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static String encode(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
