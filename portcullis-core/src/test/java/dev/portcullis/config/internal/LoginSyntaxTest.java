package dev.portcullis.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LoginSyntaxTest {

  @Test
  void isLoginAcceptsExactlyWhatThePatternAccepts() {
    Pattern pattern = Pattern.compile(LoginSyntax.LOGIN_PATTERN);
    List<String> samples = List.of("a", "_", "root", "ubuntu", "a-b_c9", "_" + "x".repeat(31), "x".repeat(33),
        "", "A", "Root", "9lives", "-x", "a b", "a.b", "../x", "root\n", "root\r", "\nroot", "root ", "röot",
        "ro\u0000ot", "a$", "a/b", "a@b", "\u212Aate", "ı");

    for (String sample : samples) {
      assertThat(LoginSyntax.isLogin(sample)).as(sample).isEqualTo(pattern.matcher(sample).matches());
    }
    assertThat(LoginSyntax.isLogin("_" + "x".repeat(31))).isTrue();
    assertThat(LoginSyntax.isLogin("x".repeat(33))).isFalse();
    assertThat(LoginSyntax.isLogin("root\n")).isFalse();
  }

  @Test
  void parsesEachKindOfEntry() {
    assertThat(LoginSyntax.parse("ubuntu")).isEqualTo(new LoginSyntax.Entry(LoginSyntax.Kind.LITERAL, "ubuntu"));
    assertThat(LoginSyntax.parse("{{email.local}}")).isEqualTo(new LoginSyntax.Entry(LoginSyntax.Kind.EMAIL_LOCAL, ""));
    assertThat(LoginSyntax.parse("{{internal.username}}"))
        .isEqualTo(new LoginSyntax.Entry(LoginSyntax.Kind.INTERNAL_USERNAME, ""));
    assertThat(LoginSyntax.parse("{{external.https://corp.example/unix}}"))
        .isEqualTo(new LoginSyntax.Entry(LoginSyntax.Kind.EXTERNAL_CLAIM, "https://corp.example/unix"));
  }

  @Test
  void refusesAnythingElse() {
    for (String bad : List.of("{{}}", "{{email}}", "{{email.local}}x", "x{{email.local}}", "{{external.a}b}}",
        "{{external.\"x\"}}", "{{Email.local}}", "{{external.a\nb}}", "}}", "{{")) {
      assertThatThrownBy(() -> LoginSyntax.parse(bad)).as(bad).isInstanceOf(InvalidConfigException.class);
    }
  }
}
