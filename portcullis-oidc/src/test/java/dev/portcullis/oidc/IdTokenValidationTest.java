package dev.portcullis.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.testing.ScriptedOidcProvider;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every ID token check, each proven by a forged token that only that check stops. */
class IdTokenValidationTest extends ScriptedProviderTestBase {

  private JWTClaimsSet.Builder edit(JWTClaimsSet claims) {
    return new JWTClaimsSet.Builder(claims);
  }

  @Test
  void acceptsACorrectlySignedToken() throws OidcException {
    assertThat(signIn().subject()).isEqualTo("user-1");
  }

  @Test
  void acceptsAnEs256TokenFromAPublishedEcKey() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    idp.publishKeys(idp.signingKey(), ec);
    idp.mintIdTokens(claims -> ScriptedOidcProvider.sign(claims, ec, JWSAlgorithm.ES256));

    assertThat(signIn().subject()).isEqualTo("user-1");
  }

  @Test
  void rejectsAnUnsignedTokenWithAlgNone() {
    idp.mintIdTokens(claims -> new PlainJWT(claims).serialize());

    assertSignInFails(OidcFailure.UNSUPPORTED_ALGORITHM).hasMessageContaining("alg none");
  }

  @Test
  void rejectsHmacSignedWithThePublishedRsaKeyAsSecret() {
    // The classic key-confusion attack: anyone can fetch the public key and use it as an HMAC secret.
    idp.mintIdTokens(claims -> {
      try {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("key-1").build(), claims);
        jwt.sign(new MACSigner(idp.signingKey().toRSAPublicKey().getEncoded()));
        return jwt.serialize();
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    });

    assertSignInFails(OidcFailure.UNSUPPORTED_ALGORITHM).hasMessageContaining("HS256");
  }

  @Test
  void rejectsATokenSignedByAnotherKeyUnderThePublishedKid() {
    var impostor = ScriptedOidcProvider.newRsaKey("key-1");
    idp.mintIdTokens(claims -> ScriptedOidcProvider.sign(claims, impostor, JWSAlgorithm.RS256));

    assertSignInFails(OidcFailure.BAD_SIGNATURE);
  }

  @Test
  void rejectsATokenWhosePayloadWasAlteredAfterSigning() {
    idp.mintIdTokens(claims -> {
      String[] parts = idp.sign(claims).split("\\.");
      String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
          edit(claims).subject("admin").build().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return parts[0] + "." + forged + "." + parts[2];
    });

    assertSignInFails(OidcFailure.BAD_SIGNATURE);
  }

  @Test
  void rejectsAnotherIssuer() {
    idp.mintIdTokens(claims -> idp.sign(edit(claims).issuer("https://evil.example").build()));

    assertSignInFails(OidcFailure.ISSUER_MISMATCH).hasMessageContaining("https://evil.example");
  }

  @Test
  void rejectsATokenForAnotherClient() {
    idp.mintIdTokens(claims -> idp.sign(edit(claims).audience("someone-else").build()));

    assertSignInFails(OidcFailure.AUDIENCE_MISMATCH);
  }

  @Test
  void rejectsSeveralAudiencesWithoutAzpOrWithAForeignAzp() {
    idp.mintIdTokens(claims -> idp.sign(edit(claims).audience(List.of(CLIENT_ID, "other")).build()));
    assertSignInFails(OidcFailure.AUDIENCE_MISMATCH).hasMessageContaining("no azp");

    idp.mintIdTokens(claims -> idp.sign(edit(claims).audience(List.of(CLIENT_ID, "other")).claim("azp", "other").build()));
    assertSignInFails(OidcFailure.AUDIENCE_MISMATCH).hasMessageContaining("azp other");
  }

  @Test
  void acceptsSeveralAudiencesWhenAzpIsUs() throws OidcException {
    idp.mintIdTokens(claims -> idp.sign(edit(claims).audience(List.of(CLIENT_ID, "other")).claim("azp", CLIENT_ID).build()));

    assertThat(signIn().subject()).isEqualTo("user-1");
  }

  @Test
  void rejectsAnExpiredTokenBeyondTheClockSkew() {
    idp.mintIdTokens(claims -> idp.sign(edit(claims)
        .expirationTime(Date.from(clock.instant().minus(Duration.ofSeconds(61)))).build()));

    assertSignInFails(OidcFailure.TOKEN_EXPIRED);
  }

  @Test
  void toleratesAnExpiryWithinTheClockSkew() throws OidcException {
    idp.mintIdTokens(claims -> idp.sign(edit(claims)
        .expirationTime(Date.from(clock.instant().minus(Duration.ofSeconds(30)))).build()));

    assertThat(signIn().subject()).isEqualTo("user-1");
  }

  @Test
  void rejectsATokenIssuedInTheFutureOrNotYetValid() {
    idp.mintIdTokens(claims -> idp.sign(edit(claims).issueTime(Date.from(clock.instant().plusSeconds(120))).build()));
    assertSignInFails(OidcFailure.INVALID_ID_TOKEN).hasMessageContaining("iat");

    idp.mintIdTokens(claims -> idp.sign(edit(claims).notBeforeTime(Date.from(clock.instant().plusSeconds(120))).build()));
    assertSignInFails(OidcFailure.INVALID_ID_TOKEN).hasMessageContaining("nbf");
  }

  @Test
  void rejectsAMissingOrForeignNonce() {
    idp.mintIdTokens(claims -> idp.sign(edit(claims).claim("nonce", "replayed-from-another-sign-in").build()));
    assertSignInFails(OidcFailure.NONCE_MISMATCH);

    idp.mintIdTokens(claims -> idp.sign(edit(claims).claim("nonce", null).build()));
    assertSignInFails(OidcFailure.NONCE_MISMATCH).hasMessageContaining("missing nonce");
  }

  @Test
  void rejectsAnAccessTokenTypedJwtPresentedAsIdToken() {
    idp.mintIdTokens(claims -> {
      try {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("key-1")
            .type(new JOSEObjectType("at+jwt")).build(), claims);
        jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(idp.signingKey()));
        return jwt.serialize();
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    });

    assertSignInFails(OidcFailure.INVALID_ID_TOKEN).hasMessageContaining("typ");
  }

  @Test
  void rejectsAnAtHashThatDoesNotMatchTheAccessToken() {
    idp.mintIdTokens(claims -> idp.sign(edit(claims).claim("at_hash", "AAAAAAAAAAAAAAAAAAAAAA").build()));

    assertSignInFails(OidcFailure.INVALID_ID_TOKEN).hasMessageContaining("at_hash");
  }

  @Test
  void rejectsATokenWithoutSubject() {
    idp.mintIdTokens(claims -> idp.sign(edit(claims).subject(null).build()));

    assertSignInFails(OidcFailure.INVALID_ID_TOKEN).hasMessageContaining("sub");
  }

  @Test
  void rejectsGarbageInsteadOfAToken() {
    idp.mintIdTokens(claims -> "not-a-jwt");

    assertSignInFails(OidcFailure.INVALID_ID_TOKEN);
  }
}
