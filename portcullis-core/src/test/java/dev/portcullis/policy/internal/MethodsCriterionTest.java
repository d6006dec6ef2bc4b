package dev.portcullis.policy.internal;

import static dev.portcullis.policy.internal.TestContext.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MethodsCriterionTest {
  final MethodsCriterion criterion = new MethodsCriterion(List.of("POST", "DELETE"));

  @Test
  void matchesAListedMethod() {
    assertThat(criterion.test(request().method("DELETE").build())).isEqualTo(Outcome.MATCH);
  }

  @Test
  void matchesALowerCaseSpellingSoItCannotDodgeADenyRule() {
    assertThat(criterion.test(request().method("post").build())).isEqualTo(Outcome.MATCH);
  }

  @Test
  void doesNotMatchOtherMethods() {
    assertThat(criterion.test(request().method("GET").build())).isEqualTo(Outcome.NO_MATCH);
    assertThat(criterion.test(request().method("POSTX").build())).isEqualTo(Outcome.NO_MATCH);
  }
}
