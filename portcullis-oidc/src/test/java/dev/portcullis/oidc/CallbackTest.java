package dev.portcullis.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The callback, userinfo and refresh checks around the ID token. */
class CallbackTest extends ScriptedProviderTestBase {

  private static void assertFails(ThrowingRunnable call, OidcFailure expected) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.failure()).isEqualTo(expected));
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void rejectsAForeignStateBeforeCallingTheProvider() {
    AuthorizationStart start = rp.start(REDIRECT);
    Map<String, String> callback = new HashMap<>(callbackFor(start));
    callback.put("state", rp.start(REDIRECT).pending().state());

    assertFails(() -> rp.complete(start.pending(), callback), OidcFailure.STATE_MISMATCH);
    callback.remove("state");
    assertFails(() -> rp.complete(start.pending(), callback), OidcFailure.STATE_MISMATCH);
    assertThat(idp.tokenRequests()).isZero();
  }

  @Test
  void reportsAProviderErrorWithoutEchoingItsDescription() {
    AuthorizationStart start = rp.start(REDIRECT);
    Map<String, String> callback = Map.of("state", start.pending().state(), "error", "access_denied",
        "error_description", "Call +1-555-SCAM to unlock your account");

    assertThatThrownBy(() -> rp.complete(start.pending(), callback))
        .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.failure()).isEqualTo(OidcFailure.PROVIDER_ERROR))
        .hasMessageContaining("access_denied")
        .hasMessageNotContaining("SCAM");
  }

  @Test
  void rejectsACallbackWithoutCode() {
    AuthorizationStart start = rp.start(REDIRECT);

    assertFails(() -> rp.complete(start.pending(), Map.of("state", start.pending().state())), OidcFailure.INVALID_CALLBACK);
  }

  @Test
  void rejectsAPendingSignInOfAnotherProvider() {
    AuthorizationStart start = rp.start(REDIRECT);
    var p = start.pending();
    var foreign = new PendingAuthorization("other", p.state(), p.nonce(), p.codeVerifier(), p.redirectUri(), p.createdAt());

    assertFails(() -> rp.complete(foreign, callbackFor(start)), OidcFailure.WRONG_PROVIDER);
  }

  @Test
  void rejectsUserInfoForAnotherSubject() {
    idp.userInfo(Map.of("sub", "someone-else"));

    assertFails(this::signIn, OidcFailure.SUBJECT_MISMATCH);
  }

  @Test
  void letsTheIdTokenWinOverUserInfo() throws OidcException {
    idp.userInfo(Map.of("email", "attacker@example.com", "email_verified", true, "groups", List.of("dev")));
    idp.mintIdTokens(claims -> idp.sign(new JWTClaimsSet.Builder(claims)
        .claim("email", "alice@example.com").claim("email_verified", true).build()));

    OidcLogin login = signIn();

    assertThat(login.email()).contains("alice@example.com");
    assertThat(login.username()).isEqualTo("alice");
    assertThat(login.groups()).containsExactly("dev");
    assertThat(login.claims()).containsEntry("email", "alice@example.com");
  }

  @Test
  void rejectsAGroupsClaimOfTheWrongShape() {
    idp.userInfo(Map.of("groups", List.of("dev", 42)));

    assertFails(this::signIn, OidcFailure.INVALID_CLAIM);
  }

  @Test
  void refreshValidatesTheNewIdTokenAndRequiresTheSameSubject() throws OidcException {
    OidcLogin first = signIn();
    assertThat(rp.refresh(first).subject()).isEqualTo("user-1");

    idp.subject("user-2");
    assertFails(() -> rp.refresh(first), OidcFailure.SUBJECT_MISMATCH);

    idp.subject("user-1");
    idp.mintIdTokens(claims -> idp.sign(new JWTClaimsSet.Builder(claims).audience("other").build()));
    assertFails(() -> rp.refresh(first), OidcFailure.AUDIENCE_MISMATCH);
  }

  @Test
  void refreshRejectsANonceOtherThanTheOriginal() throws OidcException {
    OidcLogin first = signIn();
    idp.mintIdTokens(claims -> idp.sign(new JWTClaimsSet.Builder(claims).claim("nonce", "forged").build()));

    assertFails(() -> rp.refresh(first), OidcFailure.NONCE_MISMATCH);
  }

  @Test
  void refreshFailsWithoutARefreshToken() throws OidcException {
    OidcLogin first = signIn();
    var tokens = new OidcTokens(first.tokens().idToken(), first.tokens().accessToken(),
        java.util.Optional.empty(), java.util.Optional.empty());
    var withoutRefresh = new OidcLogin(first.provider(), first.issuer(), first.subject(), first.username(),
        first.email(), first.emailVerified(), first.groups(), first.claims(), tokens);

    assertFails(() -> rp.refresh(withoutRefresh), OidcFailure.REFRESH_FAILED);
  }
}
