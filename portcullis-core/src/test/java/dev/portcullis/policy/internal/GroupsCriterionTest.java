package dev.portcullis.policy.internal;

import static dev.portcullis.policy.internal.TestContext.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupsCriterionTest {
  final GroupsCriterion criterion = new GroupsCriterion(List.of("ops", "sre"));

  @Test
  void matchesWhenTheUserIsInAnyListedGroup() {
    assertThat(criterion.test(request().groups("dev", "sre").build())).isEqualTo(Outcome.MATCH);
  }

  @Test
  void doesNotMatchOtherGroupsOrNoGroups() {
    assertThat(criterion.test(request().groups("dev", "OPS").build())).isEqualTo(Outcome.NO_MATCH);
    assertThat(criterion.test(request().groups().build())).isEqualTo(Outcome.NO_MATCH);
  }

  @Test
  void describesItsGroups() {
    assertThat(criterion.describe()).isEqualTo("groups [ops, sre]");
  }
}
