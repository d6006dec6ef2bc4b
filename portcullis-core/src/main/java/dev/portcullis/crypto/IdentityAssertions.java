package dev.portcullis.crypto;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs the identity assertion ({@code X-Portcullis-Jwt-Assertion}) that upstream apps receive, and
 * publishes the verification keys as a JWKS.
 *
 * <p>An ECDSA signature costs far more than proxying a request, so a signed assertion is reused for
 * the same session, app and identity facts until half its lifetime has passed. Upstreams always see a
 * token with at least half its lifetime left.
 */
public final class IdentityAssertions {
  /** Sweep the cache once it holds this many entries, so idle sessions do not accumulate. */
  private static final int SWEEP_THRESHOLD = 50_000;

  private final ECKey signingKey;
  private final List<ECKey> verificationKeys;
  private final ECDSASigner signer;
  private final String issuer;
  private final Duration lifetime;
  private final InstantSource clock;
  private final Map<CacheKey, Signed> cache = new ConcurrentHashMap<>();

  /**
   * @param signingKey the current private P-256 key with a key id
   * @param retiredKeys public keys still published so that assertions they signed verify until expiry
   * @param issuer the {@code iss} claim: Portcullis's public URL
   * @param lifetime how long an assertion is valid; short, for example two minutes
   */
  public IdentityAssertions(
      ECKey signingKey, List<ECKey> retiredKeys, String issuer, Duration lifetime, InstantSource clock) {
    this.signingKey = requireNonNull(signingKey, "signingKey");
    if (!signingKey.isPrivate() || signingKey.getKeyID() == null) {
      throw new IllegalArgumentException("signingKey: expected a private EC key with a key id");
    }
    this.verificationKeys =
        java.util.stream.Stream.concat(java.util.stream.Stream.of(signingKey), retiredKeys.stream())
            .map(ECKey::toPublicJWK)
            .toList();
    try {
      this.signer = new ECDSASigner(signingKey);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("signingKey: not usable for ES256: " + e.getMessage(), e);
    }
    this.issuer = requireNonNull(issuer, "issuer");
    if (lifetime.compareTo(Duration.ofSeconds(10)) < 0) {
      throw new IllegalArgumentException("lifetime: " + lifetime + " (expected: >= 10s)");
    }
    this.lifetime = lifetime;
    this.clock = requireNonNull(clock, "clock");
  }

  /** The facts an assertion states about the user. */
  public record Subject(
      String sessionId, String subject, String username, String email, List<String> groups, List<String> roles) {
    public Subject {
      requireNonNull(sessionId, "sessionId");
      requireNonNull(subject, "subject");
      requireNonNull(username, "username");
      email = email == null ? "" : email;
      groups = List.copyOf(groups);
      roles = List.copyOf(roles);
    }
  }

  /** A signed assertion for the subject, addressed to the app's host. */
  public String assertionFor(Subject subject, String audience) {
    Instant now = clock.instant();
    CacheKey key = new CacheKey(subject, audience);
    Signed cached = cache.get(key);
    if (cached != null && now.isBefore(cached.refreshAfter())) {
      return cached.token();
    }
    if (cache.size() >= SWEEP_THRESHOLD) {
      cache.values().removeIf(entry -> !now.isBefore(entry.refreshAfter()));
    }
    Signed fresh = sign(subject, audience, now);
    cache.put(key, fresh);
    return fresh.token();
  }

  /** Forgets every cached assertion of a session, for example at logout. */
  public void forgetSession(String sessionId) {
    cache.keySet().removeIf(key -> key.subject().sessionId().equals(sessionId));
  }

  /** The public keys upstreams verify assertions with. */
  public JWKSet publicKeys() {
    return new JWKSet(List.copyOf(verificationKeys));
  }

  private Signed sign(Subject subject, String audience, Instant now) {
    Instant expiry = now.plus(lifetime);
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(subject.subject())
            .audience(audience)
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now.minusSeconds(5)))
            .expirationTime(Date.from(expiry))
            .claim("sid", subject.sessionId())
            .claim("email", subject.email())
            .claim("preferred_username", subject.username())
            .claim("groups", subject.groups())
            .claim("roles", subject.roles())
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID()).type(JOSEObjectType.JWT).build(),
            claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign identity assertion", e);
    }
    return new Signed(jwt.serialize(), now.plus(lifetime.dividedBy(2)));
  }

  private record CacheKey(Subject subject, String audience) {}

  private record Signed(String token, Instant refreshAfter) {}
}
