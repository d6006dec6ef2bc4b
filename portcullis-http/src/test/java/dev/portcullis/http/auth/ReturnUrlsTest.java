package dev.portcullis.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnUrlsTest {
  private final ReturnUrls returnUrls =
      new ReturnUrls(
          URI.create("https://portcullis.localhost:8443"),
          Set.of("portcullis.localhost:8443", "whoami.localhost:8443"));

  @ParameterizedTest
  @ValueSource(strings = {
      "/", "/apps?x=1", "https://whoami.localhost:8443/path?q=1#frag", "https://WHOAMI.localhost:8443/",
      "https://portcullis.localhost:8443/.portcullis/handshake"})
  void acceptsPathsAndConfiguredHosts(String candidate) {
    assertThat(returnUrls.validate(candidate)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://evil.example/", "//evil.example/", "/\\evil.example/", "\\\\evil.example", "/\t/evil.example",
      "https://whoami.localhost:8443@evil.example/", "https://evil.example@whoami.localhost:8443/",
      "http://whoami.localhost:8443/", "https://whoami.localhost/", "https://whoami.localhost:8444/",
      "javascript:alert(1)", "https:evil.example", "https:/evil.example", "data:text/html,hi", "",
      "https://whoami.localhost.evil.example:8443/", " /x", "https://whoami.localhost:8443\\@evil.example/"})
  void refusesEverythingThatCouldLeaveTheConfiguredHosts(String candidate) {
    assertThat(returnUrls.validate(candidate)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/%2F%2Fevil.example", "/%5Cevil.example", "/%2f%2fevil.example/x"})
  void keepsEncodedSlashesOnTheSignInHostWhereTheyCannotLeaveIt(String candidate) {
    assertThat(returnUrls.validate(candidate))
        .hasValueSatisfying(uri -> assertThat(uri.getHost()).isEqualTo("portcullis.localhost"));
  }
}
