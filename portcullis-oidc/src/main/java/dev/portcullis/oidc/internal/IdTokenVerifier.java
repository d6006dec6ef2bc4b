package dev.portcullis.oidc.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.oidc.OidcException;
import dev.portcullis.oidc.OidcFailure;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates an ID token per OpenID Connect Core 1.0 section 3.1.3.7: an asymmetric signature from the
 * provider's JWKS, then iss, aud/azp, exp/iat/nbf against the injected clock, and the nonce.
 * Nimbus parses and verifies; the claim checks live here so each failure has its own reason code.
 */
public final class IdTokenVerifier {

  /** How far our clock may disagree with the provider's. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  /** Only public-key signatures: HMAC would let anyone holding the published key forge tokens. */
  private static final Set<JWSAlgorithm> ASYMMETRIC;

  static {
    Set<JWSAlgorithm> algs = new LinkedHashSet<>();
    algs.addAll(JWSAlgorithm.Family.RSA);
    algs.addAll(JWSAlgorithm.Family.EC);
    ASYMMETRIC = Set.copyOf(algs);
  }

  private final String provider;
  private final String issuer;
  private final String clientId;
  private final Set<JWSAlgorithm> accepted;
  private final JwksCache jwks;
  private final InstantSource clock;
  private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

  /**
   * @param advertised the provider's {@code id_token_signing_alg_values_supported}; RS256 when absent
   */
  public IdTokenVerifier(String provider, String issuer, String clientId, List<JWSAlgorithm> advertised,
      JwksCache jwks, InstantSource clock) {
    this.provider = provider;
    this.issuer = issuer;
    this.clientId = clientId;
    Set<JWSAlgorithm> algs = new LinkedHashSet<>(
        advertised == null || advertised.isEmpty() ? List.of(JWSAlgorithm.RS256) : advertised);
    algs.retainAll(ASYMMETRIC);
    this.accepted = Set.copyOf(algs);
    this.jwks = jwks;
    this.clock = clock;
  }

  /**
   * Returns the verified token.
   *
   * @param expectedNonce the nonce the token must carry, or, with {@code nonceRequired} false, the
   *                      nonce it may carry (refresh responses), or null if none is allowed
   */
  public SignedJWT verify(String idToken, String expectedNonce, boolean nonceRequired) throws OidcException {
    SignedJWT jwt = parse(idToken);
    JWSHeader header = jwt.getHeader();
    if (!accepted.contains(header.getAlgorithm())) {
      throw fail(OidcFailure.UNSUPPORTED_ALGORITHM,
          "alg " + header.getAlgorithm() + " (expected: one of " + accepted + ")");
    }
    JOSEObjectType type = header.getType();
    if (type != null && !type.getType().equalsIgnoreCase("JWT") && !type.getType().equalsIgnoreCase("application/jwt")) {
      // An access token (typ at+jwt) or logout token signed by the same key is not an ID token.
      throw fail(OidcFailure.INVALID_ID_TOKEN, "typ " + type + " (expected: JWT or none)");
    }
    verifySignature(jwt, jwks.keysFor(header));
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw fail(OidcFailure.INVALID_ID_TOKEN, "claims are not a JSON object");
    }
    verifyClaims(claims, expectedNonce, nonceRequired);
    return jwt;
  }

  private SignedJWT parse(String idToken) throws OidcException {
    JWT jwt;
    try {
      jwt = JWTParser.parse(idToken);
    } catch (ParseException e) {
      throw fail(OidcFailure.INVALID_ID_TOKEN, "not a JWT");
    }
    return switch (jwt) {
      case SignedJWT signed -> signed;
      case PlainJWT plain -> throw fail(OidcFailure.UNSUPPORTED_ALGORITHM, "alg none (expected: a signed token)");
      case EncryptedJWT encrypted -> throw fail(OidcFailure.UNSUPPORTED_ALGORITHM, "encrypted ID tokens are not supported");
      default -> throw fail(OidcFailure.INVALID_ID_TOKEN, "unknown JWT kind");
    };
  }

  private void verifySignature(SignedJWT jwt, List<JWK> candidates) throws OidcException {
    for (JWK key : candidates) {
      if (!(key instanceof AsymmetricJWK asymmetric)) {
        continue;
      }
      try {
        JWSVerifier verifier = verifiers.createJWSVerifier(jwt.getHeader(), asymmetric.toPublicKey());
        if (jwt.verify(verifier)) {
          return;
        }
      } catch (JOSEException e) {
        // A key that cannot check this algorithm simply does not verify the token; try the next one.
      }
    }
    throw fail(OidcFailure.BAD_SIGNATURE,
        "signature does not verify with " + candidates.size() + " candidate key(s) for kid " + jwt.getHeader().getKeyID());
  }

  private void verifyClaims(JWTClaimsSet claims, String expectedNonce, boolean nonceRequired) throws OidcException {
    if (!issuer.equals(claims.getIssuer())) {
      throw fail(OidcFailure.ISSUER_MISMATCH, "iss " + claims.getIssuer() + " (expected: " + issuer + ")");
    }
    String subject = claims.getSubject();
    if (subject == null || subject.isBlank()) {
      throw fail(OidcFailure.INVALID_ID_TOKEN, "missing sub");
    }
    List<String> audience = claims.getAudience();
    if (!audience.contains(clientId)) {
      throw fail(OidcFailure.AUDIENCE_MISMATCH, "aud " + audience + " (expected: to contain " + clientId + ")");
    }
    Object azp = claims.getClaim("azp");
    if (audience.size() > 1 && azp == null) {
      throw fail(OidcFailure.AUDIENCE_MISMATCH, "several audiences " + audience + " but no azp");
    }
    if (azp != null && !clientId.equals(azp)) {
      throw fail(OidcFailure.AUDIENCE_MISMATCH, "azp " + azp + " (expected: " + clientId + ")");
    }
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    Date iat = claims.getIssueTime();
    if (exp == null || iat == null) {
      throw fail(OidcFailure.INVALID_ID_TOKEN, "missing exp or iat");
    }
    if (!now.isBefore(exp.toInstant().plus(CLOCK_SKEW))) {
      throw fail(OidcFailure.TOKEN_EXPIRED, "exp " + exp.toInstant() + " is before now " + now);
    }
    if (iat.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
      throw fail(OidcFailure.INVALID_ID_TOKEN, "iat " + iat.toInstant() + " is in the future (now " + now + ")");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
      throw fail(OidcFailure.INVALID_ID_TOKEN, "nbf " + nbf.toInstant() + " is in the future (now " + now + ")");
    }
    Object nonce = claims.getClaim("nonce");
    if (nonce == null && nonceRequired) {
      throw fail(OidcFailure.NONCE_MISMATCH, "missing nonce");
    }
    if (nonce != null && !(nonce instanceof String s && Secrets.constantTimeEquals(s, expectedNonce))) {
      throw fail(OidcFailure.NONCE_MISMATCH, "nonce does not match the one sent");
    }
  }

  private OidcException fail(OidcFailure failure, String detail) {
    return new OidcException(failure, "provider " + provider + ": ID token " + detail);
  }
}
