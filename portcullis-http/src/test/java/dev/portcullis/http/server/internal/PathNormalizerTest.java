package dev.portcullis.http.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathNormalizerTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "/|/",
      "/admin|/admin",
      "/a/b/c|/a/b/c",
      "/a/b/|/a/b/",
      "/public/../admin|/admin",
      "/public/./admin|/public/admin",
      "/a/%2e%2e/admin|/admin",
      "/public/%2E%2E/admin|/admin",
      "/public/.%2e/admin|/admin",
      "/public/%2e./admin|/admin",
      "/%2e/admin|/admin",
      "//admin|/admin",
      "///admin//x///|/admin/x/",
      "/a/b/..|/a/",
      "/a/b/.|/a/b/",
      "/a/..|/",
      "/.|/",
      "/./|/",
      "/a/./../b|/b",
      "/%61dmin|/admin",
      "/%41%7a%30%2D%5f%7E|/Az0-_~",
      "/a%3ab|/a%3Ab",
      "/a%3Ab|/a%3Ab",
      "/a%20b|/a%20b",
      "/a%25b|/a%25b",
      "/a%252e%252e/x|/a%252e%252e/x",
      "/a;b=c/d|/a;b=c/d",
      "/a..b/c|/a..b/c",
      "/...|/...",
      "/a/.../b|/a/.../b",
      "/a@b:c!$&'()*+,=|/a@b:c!$&'()*+,=",
      "/%C3%A9|/%C3%A9",
  })
  void normalizesPaths(String raw, String expected) {
    assertThat(PathNormalizer.normalize(raw).path()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "/..",
      "/../admin",
      "/a/../../admin",
      "/%2e%2e",
      "/%2e%2e/admin",
      "/%2E%2e/x",
      "//../admin",
      "/a%2fb",
      "/a%2Fb",
      "/a%5cb",
      "/a%5Cb",
      "/a\\b",
      "/a\u0000b",
      "/a%00b",
      "/a%0ab",
      "/a%0Db",
      "/a%7fb",
      "/a\tb",
      "/a b",
      "/a\u007fb",
      "/a\u00e9b",
      "/a%",
      "/a%2",
      "/a%zz",
      "/a%g0",
      "/a%\u0661\u0661",
      "/a/..;/admin",
      "/a/..;x=y/admin",
      "/a/.;/b",
      "/a#frag",
      "*",
      "admin",
      "http://evil.example/admin",
      "",
  })
  void rejectsUnsafeTargets(String raw) {
    assertThatThrownBy(() -> PathNormalizer.normalize(raw))
        .isInstanceOfSatisfying(RequestRejectedException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "/a?x=1&y=%2F..%2e|/a|x=1&y=%2F..%2e",
      "/a/../b?q=/../c|/b|q=/../c",
      "/a?|/a|''",
      "/a|/a|''",
      "/a??b|/a|?b",
  })
  void keepsTheQueryUntouched(String raw, String path, String query) {
    PathNormalizer.Target target = PathNormalizer.normalize(raw);
    assertThat(target.path()).isEqualTo(path);
    assertThat(target.rawQuery()).isEqualTo(query);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"/a?x=\u0001", "/a?x y", "/a?x#y", "/a?\u00e9"})
  void rejectsControlSpaceFragmentOrNonAsciiInTheQuery(String raw) {
    assertThatThrownBy(() -> PathNormalizer.normalize(raw)).isInstanceOf(RequestRejectedException.class);
  }
}
