package dev.portcullis.server.ssh;

import dev.portcullis.cli.Browser;
import dev.portcullis.testing.MockOAuth2ServerProcess;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The user's web browser as {@code portcullis login} opens it: a java.net.http client with its own cookies that
 * trusts only the test server's certificate, follows the pages one by one, signs in (on the local form, or at a
 * real OpenID Provider after choosing it), presses the button of the confirmation page, and lands on the CLI's
 * loopback callback. Every page it saw is kept, to assert on the confirmation and to explain failures.
 */
final class SignInBrowser implements Browser {

  /** How the person signs in when Portcullis asks. */
  sealed interface SignIn {
    /** The local user form. */
    record Local(String username, String password) implements SignIn {}

    /** The OIDC provider {@code provider} of the sign-in chooser, backed by mock-oauth2-server. */
    record Oidc(String provider, MockOAuth2ServerProcess server, String subject, Map<String, ?> claims)
        implements SignIn {}
  }

  private static final int MAX_STEPS = 25;
  private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]*)\">(.*?)</form>",
      Pattern.DOTALL);
  private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

  private final HttpClient http;
  private final SignIn signIn;
  /** Written by the browser thread, read by the test. */
  private final List<String> pages = new CopyOnWriteArrayList<>();
  private final CompletableFuture<HttpResponse<String>> callback = new CompletableFuture<>();
  private volatile URI opened;

  SignInBrowser(Path serverCertificate, SignIn signIn) {
    this.signIn = Objects.requireNonNull(signIn, "signIn");
    this.http = HttpClient.newBuilder()
        .sslContext(CliUser.trusting(serverCertificate))
        .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** Like a real browser, starts loading and returns at once; the CLI meanwhile waits on its callback. */
  @Override
  public void open(URI uri) {
    opened = uri;
    Thread.ofVirtual().name("sign-in-browser").start(() -> {
      try {
        callback.complete(browse(uri));
      } catch (Throwable e) {
        callback.completeExceptionally(e);
      }
    });
  }

  URI opened() {
    return opened;
  }

  /** The CLI's answer on its callback page; fails with what went wrong in the browser. */
  HttpResponse<String> callbackPage() {
    return callback.orTimeout(30, TimeUnit.SECONDS).join();
  }

  /** Every page body seen, in order. */
  List<String> pages() {
    return List.copyOf(pages);
  }

  private HttpResponse<String> browse(URI start) throws IOException, InterruptedException {
    HttpRequest request = get(start);
    for (int step = 0; step < MAX_STEPS; step++) {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      pages.add(response.statusCode() + " " + request.uri() + "\n" + response.body());
      URI here = request.uri();
      if (response.statusCode() >= 300 && response.statusCode() < 400) {
        URI next = here.resolve(response.headers().firstValue("location").orElseThrow());
        if ("/callback".equals(next.getPath()) && "127.0.0.1".equals(next.getHost()) && "http".equals(next.getScheme())) {
          return http.send(get(next), HttpResponse.BodyHandlers.ofString()); // the CLI's loopback listener
        }
        if (signIn instanceof SignIn.Oidc oidc && next.getPort() == oidc.server().baseUri().getPort()) {
          next = oidc.server().login(next, oidc.subject(), oidc.claims()); // signs in at the provider, back to us
        }
        request = get(next);
        continue;
      }
      if (response.statusCode() != 200 && response.statusCode() != 401) {
        throw new IllegalStateException("HTTP " + response.statusCode() + " at " + here + ":\n" + response.body());
      }
      request = nextStep(here, response.body());
    }
    throw new IllegalStateException("no callback to the CLI after " + MAX_STEPS + " steps:\n" + String.join("\n\n", pages));
  }

  /** What a person does on this page: choose the provider, fill in the local form, or confirm the CLI sign-in. */
  private HttpRequest nextStep(URI here, String page) {
    String choice = signIn instanceof SignIn.Oidc oidc ? oidc.provider() : "local";
    Matcher link = Pattern.compile("id=\"sign-in-" + Pattern.quote(choice) + "\" href=\"([^\"]+)\"").matcher(page);
    if (link.find()) {
      return get(here.resolve(unescape(link.group(1))));
    }
    Matcher form = FORM.matcher(page);
    if (!form.find()) {
      throw new IllegalStateException("no form or sign-in choice at " + here + ":\n" + page);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher hidden = HIDDEN.matcher(form.group(2));
    while (hidden.find()) {
      fields.put(hidden.group(1), unescape(hidden.group(2)));
    }
    if (form.group(2).contains("name=\"password\"")) {
      if (!(signIn instanceof SignIn.Local local) || page.contains("id=\"error\"")) {
        throw new IllegalStateException("the local sign-in form, unexpectedly or again, at " + here + ":\n" + page);
      }
      fields.put("username", local.username());
      fields.put("password", local.password());
    } else if (!page.contains("id=\"approve\"")) {
      throw new IllegalStateException("an unexpected form at " + here + ":\n" + page);
    }
    String body = fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return HttpRequest.newBuilder(here.resolve(unescape(form.group(1))))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  private static HttpRequest get(URI uri) {
    return HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().timeout(Duration.ofSeconds(20)).build();
  }

  private static String unescape(String html) {
    return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&amp;", "&");
  }
}
