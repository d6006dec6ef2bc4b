package dev.portcullis.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

  @Test
  void matchesWhenEveryKeyHasAnAcceptedValue() {
    LabelSelector selector = new LabelSelector(Map.of("env", List.of("dev", "staging"), "team", List.of("web")));

    assertThat(selector.matches(Map.of("env", "staging", "team", "web", "extra", "x"))).isTrue();
    assertThat(selector.matches(Map.of("env", "staging"))).isFalse();
    assertThat(selector.matches(Map.of("env", "prod", "team", "web"))).isFalse();
  }

  @Test
  void valuesMayUseWildcards() {
    LabelSelector selector = new LabelSelector(Map.of("env", List.of("dev-*", "*-test", "a*b*c")));

    assertThat(selector.matches(Map.of("env", "dev-eu"))).isTrue();
    assertThat(selector.matches(Map.of("env", "load-test"))).isTrue();
    assertThat(selector.matches(Map.of("env", "axxbyyc"))).isTrue();
    assertThat(selector.matches(Map.of("env", "abc"))).isTrue();
    assertThat(selector.matches(Map.of("env", "prod"))).isFalse();
    assertThat(selector.matches(Map.of("env", "ac"))).isFalse();
    assertThat(selector.matches(Map.of("env", "dev"))).isFalse();
  }

  @Test
  void starStarMatchesEveryAppEvenWithoutLabels() {
    LabelSelector all = new LabelSelector(Map.of("*", List.of("*")));

    assertThat(all.matches(Map.of())).isTrue();
    assertThat(all.describeMatch(Map.of())).isEqualTo("labels '*'");
  }

  @Test
  void emptySelectorMatchesNothing() {
    assertThat(LabelSelector.NONE.matches(Map.of("env", "dev"))).isFalse();
    assertThat(LabelSelector.NONE.matches(Map.of())).isFalse();
  }

  @Test
  void describesTheMatchedLabels() {
    LabelSelector selector = new LabelSelector(Map.of("team", List.of("*"), "env", List.of("dev")));

    assertThat(selector.describeMatch(Map.of("env", "dev", "team", "web"))).isEqualTo("labels env=dev, team=web");
  }
}
