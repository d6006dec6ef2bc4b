package dev.portcullis.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestPathTest {

  @ParameterizedTest
  @CsvSource({
    "/a/b,            /a/b",
    "/a/b/,           /a/b/",
    "/a/./b,          /a/b",
    "/a/../b,         /b",
    "/../../b,        /b",
    "//a///b,         /a/b",
    "/a%2Fb,          /a/b",
    "/%2e%2e/a,       /a",
    "/a\\b,           /a/b",
    "/a;x=1/b;y,      /a/b",
    "/a/b?q=/../c,    /a/b",
    "/a%zz,           /a%zz",
    "/caf%C3%A9,      /café",
    "/a/..,           /",
  })
  void normalizesTheWaysAPathCanBeSpelled(String raw, String normalized) {
    assertThat(RequestPath.of(raw).normalized()).isEqualTo(normalized);
  }

  @ParameterizedTest
  @CsvSource({"/a/b", "/healthz", "/static/app.js"})
  void keepsOneReadingForAnOrdinaryPath(String raw) {
    assertThat(RequestPath.of(raw).readings()).containsExactly(raw);
  }
}
