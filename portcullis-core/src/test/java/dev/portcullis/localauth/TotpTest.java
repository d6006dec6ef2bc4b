package dev.portcullis.localauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TotpTest {
  // RFC 6238 appendix B uses the ASCII secret "12345678901234567890"; this is its base32 form.
  private static final String RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  private final Totp totp = Totp.fromBase32(RFC_SECRET);

  @Test
  void producesTheRfc6238TestVectors() {
    assertThat(totp.codeAt(Instant.ofEpochSecond(59))).isEqualTo("287082");
    assertThat(totp.codeAt(Instant.ofEpochSecond(1111111109))).isEqualTo("081804");
    assertThat(totp.codeAt(Instant.ofEpochSecond(1234567890))).isEqualTo("005924");
    assertThat(totp.codeAt(Instant.ofEpochSecond(2000000000))).isEqualTo("279037");
  }

  @Test
  void acceptsOneStepOfDriftButNotTwo() {
    Instant now = Instant.ofEpochSecond(1_700_000_000);
    String previous = totp.codeAt(now.minusSeconds(30));
    String tooOld = totp.codeAt(now.minusSeconds(60));

    assertThat(totp.matchingStep(previous, now)).hasValue(now.getEpochSecond() / 30 - 1);
    assertThat(totp.matchingStep(tooOld, now)).isEmpty();
  }

  @Test
  void rejectsMalformedCodes() {
    Instant now = Instant.ofEpochSecond(59);
    assertThat(totp.matchingStep("28708", now)).isEmpty();
    assertThat(totp.matchingStep("2870820", now)).isEmpty();
    assertThat(totp.matchingStep("28708a", now)).isEmpty();
    assertThat(totp.matchingStep(null, now)).isEmpty();
  }

  @Test
  void rejectsSecretsThatAreNotBase32OrTooShort() {
    assertThatThrownBy(() -> Totp.fromBase32("JBSWY3DP!")).hasMessageContaining("not base32");
    assertThatThrownBy(() -> Totp.fromBase32("JBSWY3DP")).hasMessageContaining(">= 10 bytes");
  }
}
