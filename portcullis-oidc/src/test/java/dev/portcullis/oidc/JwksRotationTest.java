package dev.portcullis.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import dev.portcullis.testing.ScriptedOidcProvider;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Key rotation: an unknown kid costs at most one JWKS fetch per 30 s, and never gets a token accepted. */
class JwksRotationTest extends ScriptedProviderTestBase {

  private final RSAKey rotated = ScriptedOidcProvider.newRsaKey("key-2");

  @Test
  void unknownKidTriggersExactlyOneRefreshThenFailsClosed() throws OidcException {
    signIn();
    assertThat(idp.jwksFetches()).isEqualTo(1);
    idp.mintIdTokens(claims -> ScriptedOidcProvider.sign(claims, rotated, JWSAlgorithm.RS256));

    assertSignInFails(OidcFailure.UNKNOWN_KEY).hasMessageContaining("key-2");
    assertThat(idp.jwksFetches()).isEqualTo(2);

    // Within the interval a flood of forged kids causes no further fetches.
    for (int i = 0; i < 5; i++) {
      assertSignInFails(OidcFailure.UNKNOWN_KEY);
    }
    assertThat(idp.jwksFetches()).isEqualTo(2);
  }

  @Test
  void boundsFetchesWhenTheVeryFirstTokenHasAnUnknownKid() {
    idp.mintIdTokens(claims -> ScriptedOidcProvider.sign(claims, rotated, JWSAlgorithm.RS256));

    for (int i = 0; i < 4; i++) {
      assertSignInFails(OidcFailure.UNKNOWN_KEY);
    }
    // The initial load, then one refresh for the unknown kid, then nothing until the interval passes.
    assertThat(idp.jwksFetches()).isEqualTo(2);
  }

  @Test
  void picksUpARotatedKeyWithOneRefresh() throws OidcException {
    signIn();
    idp.publishKeys(idp.signingKey(), rotated);
    idp.mintIdTokens(claims -> ScriptedOidcProvider.sign(claims, rotated, JWSAlgorithm.RS256));

    assertThat(signIn().subject()).isEqualTo("user-1");
    assertThat(idp.jwksFetches()).isEqualTo(2);
    assertThat(signIn().subject()).isEqualTo("user-1");
    assertThat(idp.jwksFetches()).isEqualTo(2);
  }

  @Test
  void refreshesAgainOnlyAfterTheRateLimitInterval() throws OidcException {
    signIn();
    idp.mintIdTokens(claims -> ScriptedOidcProvider.sign(claims, rotated, JWSAlgorithm.RS256));
    assertSignInFails(OidcFailure.UNKNOWN_KEY);
    idp.publishKeys(idp.signingKey(), rotated);

    clock.advance(Duration.ofSeconds(29));
    assertSignInFails(OidcFailure.UNKNOWN_KEY);
    assertThat(idp.jwksFetches()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(2));
    assertThat(signIn().subject()).isEqualTo("user-1");
    assertThat(idp.jwksFetches()).isEqualTo(3);
  }

  @Test
  void failsClosedWhenTheJwksCannotBeFetched() {
    idp.jwksStatus(503);

    assertSignInFails(OidcFailure.JWKS_UNAVAILABLE).hasMessageContaining("503");
    assertThat(idp.jwksFetches()).isEqualTo(1);
  }

  @Test
  void keepsTheKnownKeysWhenARefreshFails() throws OidcException {
    signIn();
    idp.jwksStatus(503);
    idp.mintIdTokens(claims -> ScriptedOidcProvider.sign(claims, rotated, JWSAlgorithm.RS256));
    assertSignInFails(OidcFailure.JWKS_UNAVAILABLE);

    idp.mintIdTokens(idp::sign);
    assertThat(signIn().subject()).isEqualTo("user-1");
    assertThat(idp.jwksFetches()).isEqualTo(2);
  }
}
