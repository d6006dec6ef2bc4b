package dev.portcullis.policy.internal;

import static dev.portcullis.policy.internal.TestContext.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathPrefixesCriterionTest {
  final PathPrefixesCriterion allow = new PathPrefixesCriterion(List.of("/admin"), Effect.ALLOW);
  final PathPrefixesCriterion deny = new PathPrefixesCriterion(List.of("/admin"), Effect.DENY);

  @ParameterizedTest
  @ValueSource(strings = {"/admin", "/admin/", "/admin/users", "/admin?tab=1", "/admin/x/y#frag"})
  void matchesThePrefixAndEverythingBelowIt(String path) {
    assertThat(allow.test(request().path(path).build())).isEqualTo(Outcome.MATCH);
    assertThat(deny.test(request().path(path).build())).isEqualTo(Outcome.MATCH);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/administrator", "/admin-panel", "/", "/public/admin", "/adm"})
  void doesNotMatchAPathThatMerelyStartsWithTheSameLetters(String path) {
    assertThat(allow.test(request().path(path).build())).isEqualTo(Outcome.NO_MATCH);
    assertThat(deny.test(request().path(path).build())).isEqualTo(Outcome.NO_MATCH);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/public/../admin", "/public/..%2Fadmin", "/%61dmin", "//admin", "/./admin/x",
      "/admin;jsessionid=1/x", "/public\\..\\admin", "/ADMIN/x"})
  void denyRuleCatchesEveryReadingAnUpstreamMightServeAsAdmin(String path) {
    assertThat(deny.test(request().path(path).build())).isEqualTo(Outcome.MATCH);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/admin/../secret", "/admin/..%2F..%2Fsecret", "/admin%2F..%2Fsecret"})
  void allowRuleDoesNotMatchAPathThatLeavesThePrefixOnceNormalized(String path) {
    assertThat(allow.test(request().path(path).build())).isEqualTo(Outcome.NO_MATCH);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/anything", "/a/b/c"})
  void rootPrefixMatchesEveryPath(String path) {
    PathPrefixesCriterion root = new PathPrefixesCriterion(List.of("/"), Effect.ALLOW);

    assertThat(root.test(request().path(path).build())).isEqualTo(Outcome.MATCH);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/files/a%20b", "/files/report.pdf"})
  void allowRuleStillMatchesOrdinaryEncodedPaths(String path) {
    PathPrefixesCriterion files = new PathPrefixesCriterion(List.of("/files"), Effect.ALLOW);

    assertThat(files.test(request().path(path).build())).isEqualTo(Outcome.MATCH);
  }
}
