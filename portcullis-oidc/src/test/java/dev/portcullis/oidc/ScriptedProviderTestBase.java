package dev.portcullis.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.testing.Redirects;
import dev.portcullis.testing.ScriptedOidcProvider;
import dev.portcullis.testing.TestClock;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A relying party wired to a fresh {@link ScriptedOidcProvider} that the test scripts. */
abstract class ScriptedProviderTestBase {

  static final String CLIENT_ID = "portcullis";
  static final URI REDIRECT = URI.create("http://127.0.0.1:9/callback");

  final TestClock clock = new TestClock(Instant.parse("2030-01-01T10:00:00Z"));
  ScriptedOidcProvider idp;
  OidcRelyingParty rp;

  @BeforeEach
  void startProvider() throws OidcException {
    idp = ScriptedOidcProvider.start(CLIENT_ID, clock);
    rp = OidcRelyingParty.discover(settings(idp.issuer(), true), clock, HttpTimeouts.defaults());
  }

  @AfterEach
  void stopProvider() {
    idp.close();
  }

  static OidcProviderSettings settings(URI issuer, boolean userInfo) {
    return new OidcProviderSettings("scripted", issuer, CLIENT_ID, Optional.of("s3cret"),
        List.of("openid", "email"), "groups", "preferred_username", userInfo);
  }

  /** A full sign-in: start, authorize at the scripted provider, complete. */
  OidcLogin signIn() throws OidcException {
    AuthorizationStart start = rp.start(REDIRECT);
    return rp.complete(start.pending(), Redirects.queryParameters(idp.authorize(start.authorizationUrl())));
  }

  Map<String, String> callbackFor(AuthorizationStart start) {
    return Redirects.queryParameters(idp.authorize(start.authorizationUrl()));
  }

  AbstractThrowableAssert<?, ? extends Throwable> assertSignInFails(OidcFailure expected) {
    return assertThatThrownBy(this::signIn)
        .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.failure()).isEqualTo(expected));
  }
}
