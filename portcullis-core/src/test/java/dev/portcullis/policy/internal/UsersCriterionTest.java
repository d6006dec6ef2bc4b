package dev.portcullis.policy.internal;

import static dev.portcullis.policy.internal.TestContext.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UsersCriterionTest {
  final UsersCriterion criterion = new UsersCriterion(List.of("alice", "bob"));

  @Test
  void matchesAListedUser() {
    assertThat(criterion.test(request().user("bob").build())).isEqualTo(Outcome.MATCH);
  }

  @Test
  void doesNotMatchAnotherUserOrADifferentCase() {
    assertThat(criterion.test(request().user("mallory").build())).isEqualTo(Outcome.NO_MATCH);
    assertThat(criterion.test(request().user("Alice").build())).isEqualTo(Outcome.NO_MATCH);
  }

  @Test
  void describesItsUsers() {
    assertThat(criterion.describe()).isEqualTo("users [alice, bob]");
  }
}
