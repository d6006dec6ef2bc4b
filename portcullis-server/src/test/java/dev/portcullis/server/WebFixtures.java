package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.AuditQuery;
import dev.portcullis.audit.StoredAuditEvent;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The configuration and sign-in steps shared by the end-to-end web tests. */
final class WebFixtures {
  static final String TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

  static final String LOCAL_CONFIG = """
      server:
        listen: 127.0.0.1:{PORT}
        public_url: https://portcullis.localhost:{PORT}
        data_dir: {DATA}
      session:
        idle_timeout: 30m
        absolute_timeout: 12h
      identity_providers:
        - name: local
          type: local
          users:
            - username: alice
              email: alice@example.com
              groups: [dev]
              password_hash: "{HASH}"
            - username: bob
              email: bob@example.com
              groups: [ops]
              password_hash: "{HASH}"
              totp_secret: %s
      roles:
        - name: employee
          allow:
            app_labels: {"*": ["*"]}
      role_mappings:
        - everyone: true
          roles: [employee]
      apps:
        - name: whoami
          host: whoami.localhost
          upstream: {WHOAMI}
          public_paths: [/public]
          rules:
            deny:
              - path_prefixes: [/admin]
        - name: ops
          host: ops.localhost
          upstream: {OPS}
          rules:
            allow:
              - groups: [ops]
      """.formatted(TOTP_SECRET);

  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final Pattern RETURN = Pattern.compile("name=\"return\" value=\"([^\"]*)\"");

  private WebFixtures() {}

  /** Opens the app URL, signs in on the local form, and returns the final response from the app. */
  static HttpResponse<String> signInLocally(TestBrowser browser, URI appUrl, String user, String password, String totp) {
    HttpResponse<String> form = browser.follow(appUrl);
    assertThat(form.statusCode()).as("sign-in form for %s: %s", appUrl, form.body()).isEqualTo(200);
    HttpResponse<String> submitted = submitLocalForm(browser, form, user, password, totp);
    assertThat(submitted.statusCode()).as("sign-in as %s: %s", user, submitted.body()).isEqualTo(302);
    return browser.follow(TestBrowser.location(submitted));
  }

  static HttpResponse<String> submitLocalForm(
      TestBrowser browser, HttpResponse<String> form, String user, String password, String totp) {
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    fields.put("csrf", field(CSRF, form.body()));
    fields.put("return", field(RETURN, form.body()).replace("&amp;", "&"));
    fields.put("username", user);
    fields.put("password", password);
    if (totp != null) {
      fields.put("totp", totp);
    }
    return browser.postForm(form.uri(), fields);
  }

  static String returnField(HttpResponse<String> form) {
    return field(RETURN, form.body()).replace("&amp;", "&");
  }

  /** Where a browser would be sent by a redirect, or empty when the response is not one. */
  static Optional<URI> redirectOf(HttpResponse<?> response) {
    return TestBrowser.isRedirect(response) ? Optional.of(TestBrowser.location(response)) : Optional.empty();
  }

  static List<StoredAuditEvent> audit(TestServer server, String type) {
    return server.server().audit().store().search(
        new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(type), 100));
  }

  private static String field(Pattern pattern, String html) {
    Matcher matcher = pattern.matcher(html);
    assertThat(matcher.find()).as("form field %s in %s", pattern, html).isTrue();
    return matcher.group(1);
  }
}
