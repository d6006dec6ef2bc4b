package dev.portcullis.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OidcProviderSettingsTest {

  private static OidcProviderSettings withIssuer(String issuer) {
    return OidcProviderSettings.of("corp", URI.create(issuer), "portcullis", Optional.empty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://sso.example.com", "https://login.example.com/realms/corp",
      "http://127.0.0.1:8080", "http://127.9.9.9", "http://localhost:9000/default", "http://[::1]:8080"})
  void acceptsHttpsAndLoopbackHttp(String issuer) {
    assertThat(withIssuer(issuer).issuer()).hasToString(issuer);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://sso.example.com", "http://127.0.0.1.nip.io", "http://10.0.0.1",
      "http://localhost.example.com", "ftp://sso.example.com", "https://sso.example.com?x=1",
      "https://sso.example.com#f", "/relative"})
  void rejectsPlainHttpOffLoopbackAndMalformedIssuers(String issuer) {
    assertThatIllegalArgumentException().isThrownBy(() -> withIssuer(issuer)).withMessageStartingWith("issuer: ");
  }

  @Test
  void requiresTheOpenidScope() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new OidcProviderSettings("corp", URI.create("https://sso.example.com"), "c",
            Optional.empty(), List.of("email", "profile"), "groups", "preferred_username", true))
        .withMessageContaining("expected: to contain openid");
  }

  @Test
  void neverPrintsTheClientSecret() {
    var settings = OidcProviderSettings.of("corp", URI.create("https://sso.example.com"), "c", Optional.of("hunter2"));

    assertThat(settings.toString()).doesNotContain("hunter2").contains("<redacted>");
  }

  @Test
  void rejectsAnEmptySecretAndOddNames() {
    assertThatIllegalArgumentException().isThrownBy(() ->
        OidcProviderSettings.of("corp", URI.create("https://sso.example.com"), "c", Optional.of("")));
    assertThatIllegalArgumentException().isThrownBy(() ->
        OidcProviderSettings.of("corp sso", URI.create("https://sso.example.com"), "c", Optional.empty()));
  }
}
