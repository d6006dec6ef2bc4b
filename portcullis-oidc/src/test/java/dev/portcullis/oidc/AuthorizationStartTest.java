package dev.portcullis.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.portcullis.testing.Redirects;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@link OidcRelyingParty#start} sends and what the caller stores. */
class AuthorizationStartTest extends ScriptedProviderTestBase {

  @Test
  void sendsFreshStateNonceAndAnS256Challenge() {
    AuthorizationStart a = rp.start(REDIRECT);
    AuthorizationStart b = rp.start(REDIRECT);
    Map<String, String> params = Redirects.queryParameters(a.authorizationUrl());

    assertThat(a.authorizationUrl().toString()).startsWith(idp.issuer() + "/authorize?");
    assertThat(params).containsEntry("response_type", "code").containsEntry("client_id", CLIENT_ID)
        .containsEntry("redirect_uri", REDIRECT.toString()).containsEntry("scope", "openid email")
        .containsEntry("code_challenge_method", "S256")
        .containsEntry("code_challenge",
            CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(a.pending().codeVerifier())).getValue())
        .doesNotContainKey("code_verifier");
    // 32 random bytes each, base64url: 43 characters, 256 bits.
    assertThat(a.pending().state()).hasSize(43).isNotEqualTo(b.pending().state()).isNotEqualTo(a.pending().nonce());
    assertThat(a.pending().nonce()).hasSize(43).isNotEqualTo(b.pending().nonce());
    assertThat(a.pending().codeVerifier()).hasSize(43).isNotEqualTo(b.pending().codeVerifier());
    assertThat(a.pending().createdAt()).isEqualTo(clock.instant());
  }

  @Test
  void rejectsAnInsecureRedirectUri() {
    assertThatIllegalArgumentException().isThrownBy(() -> rp.start(URI.create("http://app.example.com/callback")));
  }

  @Test
  void pendingAuthorizationSurvivesAJsonRoundTripAndHidesItsSecretsInToString() {
    PendingAuthorization pending = rp.start(REDIRECT).pending();

    assertThat(PendingAuthorization.fromJson(pending.toJson())).isEqualTo(pending);
    assertThat(pending.toString()).doesNotContain(pending.state(), pending.nonce(), pending.codeVerifier());
  }

  @Test
  void pendingAuthorizationRejectsMalformedJson() {
    assertThatIllegalArgumentException().isThrownBy(() -> PendingAuthorization.fromJson("[1]"));
    assertThatIllegalArgumentException().isThrownBy(() -> PendingAuthorization.fromJson("{\"provider\":\"x\"}"));
    assertThatIllegalArgumentException().isThrownBy(() -> PendingAuthorization.fromJson("{"));
  }

  @Test
  void tokensNeverPrintTheirValues() throws OidcException {
    OidcLogin login = signIn();

    assertThat(login.toString()).doesNotContain(login.tokens().idToken(), login.tokens().accessToken(),
        login.tokens().refreshToken().orElseThrow());
    assertThat(new OidcTokens("id", "at", Optional.empty(), Optional.of(Instant.EPOCH)).toString())
        .contains("<redacted>", "<none>");
  }
}
