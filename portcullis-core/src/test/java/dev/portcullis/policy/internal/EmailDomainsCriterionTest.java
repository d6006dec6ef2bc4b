package dev.portcullis.policy.internal;

import static dev.portcullis.policy.internal.TestContext.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EmailDomainsCriterionTest {
  final EmailDomainsCriterion criterion = new EmailDomainsCriterion(List.of("example.com"));

  @Test
  void matchesTheExactDomainInAnyCase() {
    assertThat(criterion.test(request().email("alice@example.com").build())).isEqualTo(Outcome.MATCH);
    assertThat(criterion.test(request().email("Alice@EXAMPLE.com").build())).isEqualTo(Outcome.MATCH);
  }

  @Test
  void doesNotMatchLookalikeOrSubDomains() {
    assertThat(criterion.test(request().email("eve@evil-example.com").build())).isEqualTo(Outcome.NO_MATCH);
    assertThat(criterion.test(request().email("eve@sub.example.com").build())).isEqualTo(Outcome.NO_MATCH);
    assertThat(criterion.test(request().email("eve@example.com.evil.org").build())).isEqualTo(Outcome.NO_MATCH);
  }

  @Test
  void usesTheLastAtSign() {
    assertThat(criterion.test(request().email("\"eve@example.com\"@evil.org").build())).isEqualTo(Outcome.NO_MATCH);
  }

  @Test
  void doesNotMatchAUserWithoutEmail() {
    assertThat(criterion.test(request().email("").build())).isEqualTo(Outcome.NO_MATCH);
  }
}
