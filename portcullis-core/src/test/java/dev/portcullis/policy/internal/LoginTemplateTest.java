package dev.portcullis.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.identity.Identity;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Template expansion is exact: hostile values are dropped, never repaired into a valid login. */
class LoginTemplateTest {

  static Identity user(String username, String email, Map<String, Object> claims) {
    return new Identity(username, email, List.of(), claims, "corp", "sub");
  }

  static Set<String> expand(String template, Identity identity) {
    Set<String> out = new LinkedHashSet<>();
    LoginTemplate.compile(template).expandInto(identity, out);
    return out;
  }

  static int dropped(String template, Identity identity) {
    return LoginTemplate.compile(template).expandInto(identity, new LinkedHashSet<>());
  }

  @Test
  void literalIsItself() {
    assertThat(expand("ubuntu", user("alice", "", Map.of()))).containsExactly("ubuntu");
  }

  @Test
  void emailLocalIsTheLowerCasedPartBeforeTheAt() {
    assertThat(expand("{{email.local}}", user("x", "Alice_B@Example.com", Map.of()))).containsExactly("alice_b");
    assertThat(expand("{{email.local}}", user("x", "", Map.of()))).isEmpty();
    assertThat(dropped("{{email.local}}", user("x", "", Map.of()))).as("no email is not a dropped value").isZero();
  }

  @Test
  void emailLocalPartThatIsNotALoginIsDropped() {
    assertThat(expand("{{email.local}}", user("x", "alice.smith@example.com", Map.of()))).isEmpty();
    assertThat(dropped("{{email.local}}", user("x", "alice.smith@example.com", Map.of()))).isEqualTo(1);
    assertThat(expand("{{email.local}}", user("x", "\"a b\"@example.com", Map.of()))).isEmpty();
  }

  @Test
  void emailLocalLowerCasesAsciiOnlySoLookalikeLettersCannotBecomeAnotherLogin() {
    // U+212A KELVIN SIGN lower-cases to 'k' in Unicode; it must not yield the login "kate".
    assertThat("\u212Aate".toLowerCase(java.util.Locale.ROOT)).isEqualTo("kate");
    assertThat(expand("{{email.local}}", user("x", "\u212Aate@example.com", Map.of()))).isEmpty();
    // U+0130 CAPITAL I WITH DOT ABOVE.
    assertThat(expand("{{email.local}}", user("x", "\u0130an@example.com", Map.of()))).isEmpty();
  }

  @Test
  void internalUsernameIsTakenExactly() {
    assertThat(expand("{{internal.username}}", user("alice", "", Map.of()))).containsExactly("alice");
    assertThat(expand("{{internal.username}}", user("Alice", "", Map.of()))).isEmpty();
    assertThat(expand("{{internal.username}}", user("alice@example.com", "", Map.of()))).isEmpty();
  }

  @Test
  void externalClaimGivesEachValidStringValue() {
    Identity identity = user("x", "", Map.of("unix", "deploy", "logins", List.of("web", "db", "web")));

    assertThat(expand("{{external.unix}}", identity)).containsExactly("deploy");
    assertThat(expand("{{external.logins}}", identity)).containsExactly("web", "db");
    assertThat(expand("{{external.missing}}", identity)).isEmpty();
  }

  @Test
  void hostileClaimValuesAreDroppedNotSanitized() {
    List<Object> hostile = List.of("Root", "Root!", "root\n", "\nroot", "root ", " root", "../x", "a b", "x".repeat(40),
        "root;id", "$(id)", "ro\u0000ot", "", "r\u00f6ot", "root\u200b", "-oProxyCommand=x");
    Identity identity = user("x", "", Map.of("login", hostile));

    assertThat(expand("{{external.login}}", identity)).isEmpty();
    assertThat(dropped("{{external.login}}", identity)).isEqualTo(hostile.size());
    for (Object value : hostile) {
      assertThat(expand("{{external.login}}", user("x", "", Map.of("login", value)))).as("%s", value).isEmpty();
    }
  }

  @Test
  void longestLoginPassesAndOneMoreCharacterDrops() {
    String longest = "a".repeat(32);

    assertThat(expand("{{external.l}}", user("x", "", Map.of("l", longest)))).containsExactly(longest);
    assertThat(expand("{{external.l}}", user("x", "", Map.of("l", longest + "a")))).isEmpty();
  }

  @Test
  void nonStringClaimsAreDropped() {
    Identity identity = user("x", "", Map.of(
        "number", 1000, "bool", true, "object", Map.of("name", "root"),
        "nested", List.of(List.of("root"), Map.of("a", "b"), 7, false, "ok")));

    assertThat(expand("{{external.number}}", identity)).isEmpty();
    assertThat(expand("{{external.bool}}", identity)).as("true is a valid login word but not a string").isEmpty();
    assertThat(expand("{{external.object}}", identity)).isEmpty();
    assertThat(expand("{{external.nested}}", identity)).containsExactly("ok");
    assertThat(dropped("{{external.nested}}", identity)).isEqualTo(4);
  }
}
