package dev.portcullis.policy.internal;

import static dev.portcullis.policy.internal.TestContext.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimsCriterionTest {
  final ClaimsCriterion criterion = new ClaimsCriterion(Map.of(
      "department", List.of("engineering", "research"),
      "level", List.of("3")));

  @Test
  void matchesWhenEveryListedClaimHasAnAcceptedValue() {
    assertThat(criterion.test(request().claims(Map.of("department", "research", "level", 3)).build()))
        .isEqualTo(Outcome.MATCH);
  }

  @Test
  void comparesNumbersByValueAndArraysByAnyElement() {
    assertThat(criterion.test(request().claims(Map.of("department", List.of("sales", "engineering"),
        "level", 3.0)).build())).isEqualTo(Outcome.MATCH);
    assertThat(criterion.test(request().claims(Map.of("department", "engineering", "level", 3L)).build()))
        .isEqualTo(Outcome.MATCH);
  }

  @Test
  void doesNotMatchWhenAClaimIsMissingOrDifferent() {
    assertThat(criterion.test(request().claims(Map.of("department", "engineering")).build()))
        .isEqualTo(Outcome.NO_MATCH);
    assertThat(criterion.test(request().claims(Map.of("department", "sales", "level", 3)).build()))
        .isEqualTo(Outcome.NO_MATCH);
    assertThat(criterion.test(request().claims(Map.of("department", "engineering", "level", 3.5)).build()))
        .isEqualTo(Outcome.NO_MATCH);
  }

  @Test
  void doesNotMatchAnObjectClaimByItsText() {
    ClaimsCriterion objects = new ClaimsCriterion(Map.of("org", List.of("{name=acme}")));

    assertThat(objects.test(request().claims(Map.of("org", Map.of("name", "acme"))).build()))
        .isEqualTo(Outcome.NO_MATCH);
  }
}
