package dev.portcullis.oidc;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.InvalidHashException;
import dev.portcullis.oidc.internal.Claims;
import dev.portcullis.oidc.internal.Discovery;
import dev.portcullis.oidc.internal.IdTokenVerifier;
import dev.portcullis.oidc.internal.JwksCache;
import dev.portcullis.oidc.internal.ProviderCalls;
import dev.portcullis.oidc.internal.Secrets;
import dev.portcullis.oidc.internal.Transport;
import java.net.URI;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenID Connect relying party for one provider: authorization code flow with PKCE (S256), state
 * and nonce, full ID token validation, userinfo, refresh and RP-initiated logout. Thread-safe; build
 * one per provider with {@link #discover} and keep it.
 */
public final class OidcRelyingParty {

  /** A pending sign-in older than this is refused: nobody types a password for ten minutes. */
  public static final Duration MAX_AUTHORIZATION_AGE = Duration.ofMinutes(10);

  private static final Logger log = LoggerFactory.getLogger(OidcRelyingParty.class);
  /** RFC 6749 error codes are printable ASCII without quote or backslash; anything else is not echoed. */
  private static final Pattern ERROR_CODE = Pattern.compile("[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]{1,64}");

  private final OidcProviderSettings settings;
  private final OIDCProviderMetadata metadata;
  private final InstantSource clock;
  private final SecureRandom random;
  private final IdTokenVerifier verifier;
  private final ProviderCalls calls;

  private OidcRelyingParty(OidcProviderSettings settings, OIDCProviderMetadata metadata, InstantSource clock,
      HttpTimeouts timeouts, SecureRandom random) {
    this.settings = settings;
    this.metadata = metadata;
    this.clock = clock;
    this.random = random;
    JwksCache jwks = new JwksCache(settings.name(), metadata.getJWKSetURI(), timeouts, clock);
    this.verifier = new IdTokenVerifier(settings.name(), settings.issuer().toString(), settings.clientId(),
        metadata.getIDTokenJWSAlgs(), jwks, clock);
    this.calls = new ProviderCalls(settings, metadata.getTokenEndpointURI(), metadata.getUserInfoEndpointURI(), timeouts);
  }

  /** Fetches the provider's discovery document; its issuer must equal the configured one exactly. */
  public static OidcRelyingParty discover(OidcProviderSettings settings, InstantSource clock, HttpTimeouts timeouts)
      throws OidcException {
    return discover(settings, clock, timeouts, new SecureRandom());
  }

  /** As {@link #discover(OidcProviderSettings, InstantSource, HttpTimeouts)}, with the randomness for state, nonce and PKCE. */
  public static OidcRelyingParty discover(OidcProviderSettings settings, InstantSource clock, HttpTimeouts timeouts,
      SecureRandom random) throws OidcException {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(timeouts, "timeouts");
    Objects.requireNonNull(random, "random");
    return new OidcRelyingParty(settings, Discovery.fetch(settings, timeouts), clock, timeouts, random);
  }

  public OidcProviderSettings settings() {
    return settings;
  }

  /** Begins a sign-in: fresh state, nonce and PKCE verifier, and the URL to redirect the browser to. */
  public AuthorizationStart start(URI redirectUri) {
    Objects.requireNonNull(redirectUri, "redirectUri");
    String problem = Transport.problem(redirectUri);
    if (problem != null || redirectUri.getRawFragment() != null) {
      throw new IllegalArgumentException("redirectUri: " + redirectUri
          + " (expected: " + (problem != null ? problem : "no fragment") + ")");
    }
    var pending = new PendingAuthorization(settings.name(), Secrets.random(random), Secrets.random(random),
        Secrets.random(random), redirectUri, clock.instant());
    URI url = new AuthenticationRequest.Builder(
            ResponseType.CODE, new Scope(settings.scopes().toArray(String[]::new)),
            new ClientID(settings.clientId()), redirectUri)
        .endpointURI(metadata.getAuthorizationEndpointURI())
        .state(new State(pending.state()))
        .nonce(new Nonce(pending.nonce()))
        .codeChallenge(new CodeVerifier(pending.codeVerifier()), CodeChallengeMethod.S256)
        .build()
        .toURI();
    return new AuthorizationStart(url, pending);
  }

  /**
   * Finishes a sign-in from the redirect's query parameters. The caller must already have removed
   * {@code pending} from its store, so a callback can be used once only.
   */
  public OidcLogin complete(PendingAuthorization pending, Map<String, String> callbackParameters) throws OidcException {
    Objects.requireNonNull(pending, "pending");
    Objects.requireNonNull(callbackParameters, "callbackParameters");
    if (!settings.name().equals(pending.provider())) {
      throw new OidcException(OidcFailure.WRONG_PROVIDER,
          "pending sign-in is for provider " + pending.provider() + ", not " + settings.name());
    }
    Instant now = clock.instant();
    if (now.isAfter(pending.createdAt().plus(MAX_AUTHORIZATION_AGE))) {
      throw new OidcException(OidcFailure.STALE_AUTHORIZATION,
          "provider " + settings.name() + ": sign-in started at " + pending.createdAt() + ", now " + now);
    }
    if (!Secrets.constantTimeEquals(callbackParameters.get("state"), pending.state())) {
      throw new OidcException(OidcFailure.STATE_MISMATCH,
          "provider " + settings.name() + ": callback state does not match the pending sign-in");
    }
    checkResponseIssuer(callbackParameters.get("iss"));
    String error = callbackParameters.get("error");
    if (error != null) {
      // The description is attacker-controlled text in a URL; only a well-formed error code is echoed.
      String code = ERROR_CODE.matcher(error).matches() ? error : "<malformed>";
      throw new OidcException(OidcFailure.PROVIDER_ERROR, "provider " + settings.name() + " answered error " + code);
    }
    String code = callbackParameters.get("code");
    if (code == null || code.isBlank()) {
      throw new OidcException(OidcFailure.INVALID_CALLBACK, "provider " + settings.name() + ": callback has no code");
    }
    var grant = new AuthorizationCodeGrant(new AuthorizationCode(code), pending.redirectUri(),
        new CodeVerifier(pending.codeVerifier()));
    AccessTokenResponse response = calls.token(grant, OidcFailure.CODE_EXCHANGE_FAILED);
    String idToken = requireIdToken(response, OidcFailure.INVALID_ID_TOKEN);
    SignedJWT verified = verifier.verify(idToken, pending.nonce(), true);
    OidcLogin login = login(verified, response, Optional.empty());
    log.debug("provider {}: signed in subject {}", settings.name(), login.subject());
    return login;
  }

  /**
   * Renews the tokens with the refresh grant. A new ID token, if returned, is validated and must name
   * the same subject; claims, username and groups are re-read so revoked groups take effect.
   */
  public OidcLogin refresh(OidcLogin previous) throws OidcException {
    Objects.requireNonNull(previous, "previous");
    if (!settings.name().equals(previous.provider()) || !settings.issuer().toString().equals(previous.issuer())) {
      throw new OidcException(OidcFailure.WRONG_PROVIDER,
          "login is from provider " + previous.provider() + ", not " + settings.name());
    }
    String refreshToken = previous.tokens().refreshToken().orElseThrow(() -> new OidcException(
        OidcFailure.REFRESH_FAILED, "provider " + settings.name() + ": the login has no refresh token"));
    AccessTokenResponse response =
        calls.token(new RefreshTokenGrant(new RefreshToken(refreshToken)), OidcFailure.REFRESH_FAILED);
    SignedJWT idToken;
    if (response.getCustomParameters().get("id_token") != null) {
      Object originalNonce = previous.claims().get("nonce");
      // OIDC Core 12.2: a refreshed ID token should carry no nonce, and if it does, the original one.
      idToken = verifier.verify(requireIdToken(response, OidcFailure.REFRESH_FAILED),
          originalNonce instanceof String s ? s : null, false);
      if (!previous.subject().equals(claims(idToken).get("sub"))) {
        throw new OidcException(OidcFailure.SUBJECT_MISMATCH,
            "provider " + settings.name() + ": refreshed ID token names another subject");
      }
    } else {
      idToken = parseTrusted(previous.tokens().idToken());
    }
    return login(idToken, response, previous.tokens().refreshToken());
  }

  /**
   * The provider's RP-initiated logout URL (OpenID Connect RP-Initiated Logout 1.0), when it advertises
   * an {@code end_session_endpoint}. Any argument may be null to leave it out.
   */
  public Optional<URI> endSessionUrl(String idTokenHint, URI postLogoutRedirect, String state) {
    URI endpoint = metadata.getEndSessionEndpointURI();
    if (endpoint == null) {
      return Optional.empty();
    }
    JWT hint = null;
    if (idTokenHint != null) {
      try {
        hint = JWTParser.parse(idTokenHint);
      } catch (ParseException e) {
        throw new IllegalArgumentException("idTokenHint: not a JWT (expected: the ID token of the login)");
      }
    }
    return Optional.of(new LogoutRequest(endpoint, hint, null, new ClientID(settings.clientId()), postLogoutRedirect,
        state == null ? null : new State(state), null).toURI());
  }

  private void checkResponseIssuer(String iss) throws OidcException {
    // RFC 9207: when present (or promised by the provider) the iss parameter defends against mix-up.
    if (iss == null && !metadata.supportsAuthorizationResponseIssuerParam()) {
      return;
    }
    if (!settings.issuer().toString().equals(iss)) {
      throw new OidcException(OidcFailure.ISSUER_MISMATCH, "provider " + settings.name()
          + ": callback iss " + iss + " (expected: " + settings.issuer() + ")");
    }
  }

  private String requireIdToken(AccessTokenResponse response, OidcFailure failure) throws OidcException {
    if (!(response.getCustomParameters().get("id_token") instanceof String idToken) || idToken.isBlank()) {
      throw new OidcException(failure, "provider " + settings.name() + ": token response has no id_token");
    }
    return idToken;
  }

  private OidcLogin login(SignedJWT idToken, AccessTokenResponse response, Optional<String> previousRefreshToken)
      throws OidcException {
    BearerAccessToken accessToken = response.getTokens().getBearerAccessToken();
    Map<String, Object> idClaims = claims(idToken);
    checkAccessTokenHash(idToken, idClaims, accessToken);
    String subject = (String) idClaims.get("sub");
    Map<String, Object> userInfo = Map.of();
    if (settings.fetchUserInfo()) {
      userInfo = calls.userInfo(accessToken);
      if (!subject.equals(userInfo.get("sub"))) {
        throw new OidcException(OidcFailure.SUBJECT_MISMATCH,
            "provider " + settings.name() + ": userinfo sub differs from the ID token's");
      }
    }
    Map<String, Object> claims = Claims.merge(userInfo, idClaims);
    RefreshToken refresh = response.getTokens().getRefreshToken();
    long lifetime = accessToken.getLifetime();
    var tokens = new OidcTokens(idToken.serialize(), accessToken.getValue(),
        refresh != null ? Optional.of(refresh.getValue()) : previousRefreshToken,
        lifetime > 0 ? Optional.of(clock.instant().plusSeconds(lifetime)) : Optional.empty());
    return new OidcLogin(settings.name(), settings.issuer().toString(), subject,
        Claims.username(claims, settings.usernameClaim(), subject), Claims.email(claims), Claims.emailVerified(claims),
        Claims.groups(claims, settings.groupsClaim()), claims, tokens);
  }

  private void checkAccessTokenHash(SignedJWT idToken, Map<String, Object> idClaims, BearerAccessToken accessToken)
      throws OidcException {
    Object atHash = idClaims.get("at_hash");
    if (atHash == null) {
      return;
    }
    try {
      AccessTokenValidator.validate(accessToken, idToken.getHeader().getAlgorithm(), new AccessTokenHash(atHash.toString()));
    } catch (InvalidHashException e) {
      throw new OidcException(OidcFailure.INVALID_ID_TOKEN,
          "provider " + settings.name() + ": ID token at_hash does not match the access token");
    }
  }

  private Map<String, Object> claims(SignedJWT idToken) throws OidcException {
    try {
      return idToken.getJWTClaimsSet().toJSONObject();
    } catch (ParseException e) {
      throw new OidcException(OidcFailure.INVALID_ID_TOKEN, "provider " + settings.name() + ": ID token claims are unreadable");
    }
  }

  private SignedJWT parseTrusted(String idToken) throws OidcException {
    try {
      return SignedJWT.parse(idToken);
    } catch (ParseException e) {
      throw new OidcException(OidcFailure.REFRESH_FAILED, "provider " + settings.name() + ": previous ID token is unreadable");
    }
  }
}
