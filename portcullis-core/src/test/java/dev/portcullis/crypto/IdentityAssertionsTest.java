package dev.portcullis.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class IdentityAssertionsTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T10:00:00Z"));
  private final ECKey key = generate("k1");
  private final IdentityAssertions assertions =
      new IdentityAssertions(key, List.of(), "https://portcullis.localhost:8443", Duration.ofMinutes(2), now::get);
  private final IdentityAssertions.Subject alice =
      new IdentityAssertions.Subject("sid-1", "local:alice", "alice", "alice@example.com", List.of("dev"), List.of("employee"));

  @Test
  void signsEs256AssertionsWithTheIdentityClaimsAndTheAppAsAudience() throws Exception {
    SignedJWT jwt = SignedJWT.parse(assertions.assertionFor(alice, "whoami.localhost"));

    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jwt.verify(new ECDSAVerifier(assertions.publicKeys().getKeyByKeyId("k1").toECKey()))).isTrue();
    var claims = jwt.getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo("local:alice");
    assertThat(claims.getAudience()).containsExactly("whoami.localhost");
    assertThat(claims.getStringClaim("email")).isEqualTo("alice@example.com");
    assertThat(claims.getStringListClaim("groups")).containsExactly("dev");
    assertThat(claims.getStringListClaim("roles")).containsExactly("employee");
    assertThat(claims.getStringClaim("sid")).isEqualTo("sid-1");
    assertThat(claims.getExpirationTime().toInstant()).isEqualTo(now.get().plus(Duration.ofMinutes(2)));
  }

  @Test
  void reusesAnAssertionUntilHalfItsLifetimeHasPassed() {
    String first = assertions.assertionFor(alice, "whoami.localhost");
    now.set(now.get().plusSeconds(59));
    assertThat(assertions.assertionFor(alice, "whoami.localhost")).isSameAs(first);

    now.set(now.get().plusSeconds(1));
    assertThat(assertions.assertionFor(alice, "whoami.localhost")).isNotEqualTo(first);
  }

  @Test
  void neverReusesAnAssertionAcrossAppsOrChangedRoles() {
    String whoami = assertions.assertionFor(alice, "whoami.localhost");
    var promoted = new IdentityAssertions.Subject("sid-1", "local:alice", "alice", "alice@example.com", List.of("dev"), List.of("admin"));

    assertThat(assertions.assertionFor(alice, "ops.localhost")).isNotEqualTo(whoami);
    assertThat(assertions.assertionFor(promoted, "whoami.localhost")).isNotEqualTo(whoami);
  }

  @Test
  void publishesOnlyPublicKeysIncludingRetiredOnes() {
    ECKey retired = generate("k0");
    var rotated = new IdentityAssertions(key, List.of(retired), "https://p", Duration.ofMinutes(2), now::get);

    assertThat(rotated.publicKeys().getKeys()).extracting(k -> k.getKeyID()).containsExactly("k1", "k0");
    assertThat(rotated.publicKeys().getKeys()).noneMatch(k -> k.isPrivate());
  }

  private static ECKey generate(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
