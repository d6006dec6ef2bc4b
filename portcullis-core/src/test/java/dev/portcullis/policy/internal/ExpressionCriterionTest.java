package dev.portcullis.policy.internal;

import static dev.portcullis.policy.internal.TestContext.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionCriterionTest {

  static Outcome eval(String expression, TestContext request) {
    return new ExpressionCriterion(expression).test(request.build());
  }

  @Test
  void seesTheUser() {
    TestContext alice = request().user("alice").email("alice@example.com").groups("dev", "ops");

    assertThat(eval("user.name == 'alice' && 'ops' in user.groups && user.email.endsWith('@example.com')", alice))
        .isEqualTo(Outcome.MATCH);
    assertThat(eval("'dev' in user.roles", alice)).isEqualTo(Outcome.MATCH);
    assertThat(eval("user.name == 'bob'", alice)).isEqualTo(Outcome.NO_MATCH);
  }

  @Test
  void seesClaimsWithNumbersWidenedForCel() {
    TestContext request = request().claims(Map.of("level", 5, "ratio", 0.5f, "tags", List.of("a", "b"),
        "org", Map.of("name", "acme")));

    assertThat(eval("user.claims.level > 3 && user.claims.ratio < 1.0", request)).isEqualTo(Outcome.MATCH);
    assertThat(eval("'b' in user.claims.tags && user.claims.org.name == 'acme'", request)).isEqualTo(Outcome.MATCH);
  }

  @Test
  void seesTheRequestAndTheApp() {
    TestContext request = request().method("post").path("/api/../admin").source("10.1.2.3")
        .time("2025-03-04T22:15:30Z");

    assertThat(eval("request.method == 'POST' && request.path == '/admin' && request.host == 'whoami.localhost'",
        request)).isEqualTo(Outcome.MATCH);
    assertThat(eval("request.source_ip.startsWith('10.')", request)).isEqualTo(Outcome.MATCH);
    assertThat(eval("request.time.getHours('UTC') >= 18", request)).isEqualTo(Outcome.MATCH);
    assertThat(eval("request.time < timestamp('2025-01-01T00:00:00Z')", request)).isEqualTo(Outcome.NO_MATCH);
    assertThat(eval("app.name == 'whoami' && app.labels.env == 'dev'", request)).isEqualTo(Outcome.MATCH);
  }

  @Test
  void reportsARuntimeErrorAsFailedInsteadOfThrowing() {
    Outcome outcome = eval("user.claims.missing == 'x'", request());

    assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class,
        f -> assertThat(f.error()).contains("missing"));
  }

  @Test
  void boundsComprehensions() {
    Outcome outcome = eval("[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b,"
        + " [1,2,3,4,5,6,7,8,9,10].all(c, a + b + c > 0)))", request());

    assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class,
        f -> assertThat(f.error()).containsIgnoringCase("iteration"));
  }

  @Test
  void refusesAnInvalidExpressionWhenCompiled() {
    assertThatThrownBy(() -> new ExpressionCriterion("user.name ==")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid CEL expression");
  }

  @Test
  void isEvaluatedAfterCheapCriteria() {
    assertThat(new ExpressionCriterion("true").costly()).isTrue();
    assertThat(new UsersCriterion(List.of("a")).costly()).isFalse();
  }
}
