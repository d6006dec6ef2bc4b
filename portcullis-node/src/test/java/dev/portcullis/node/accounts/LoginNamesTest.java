package dev.portcullis.node.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoginNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "Root", "ALICE", "a b", "a;rm -rf /", "../x", "x/y", "x\nALL ALL=(ALL) ALL", "x\tALL", "-x", "--help",
      "1abc", "a.b", "a:b", "a,b", "alice$", "al\u0000ice", "\u00e9lise", "al\u0131ce", "a=b", "a(b)", "a#b",
      "a\\b", "a\"b", "%admins", "+netgroup", "~x", "a*", " alice", "alice ", "\u212Aelvin"})
  void refusesNamesWithCharactersOutsideTheRule(String hostile) {
    assertThat(LoginNames.problem(hostile)).hasValueSatisfying(reason -> assertThat(reason).contains("expected"));
    assertThat(LoginNames.isWellFormed(hostile)).isFalse();
  }

  @Test
  void refusesEmptyMissingAndOverlongNames() {
    assertThat(LoginNames.problem("")).hasValue("login: empty (expected: 1 to 32 characters)");
    assertThat(LoginNames.problem(null)).hasValue("login: missing (expected: a login name)");
    assertThat(LoginNames.problem("a".repeat(33))).hasValue("login: 33 characters (expected: at most 32)");
    assertThat(LoginNames.problem("a".repeat(32))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp",
      "proxy", "www-data", "backup", "list", "irc", "nobody", "sshd", "messagebus", "postgres", "sudo", "wheel",
      "adm", "docker", "shadow", "systemd-network", "systemd-anything", "_apt", "_chrony", "portcullis"})
  void refusesReservedNames(String reserved) {
    assertThat(LoginNames.problem(reserved)).hasValueSatisfying(reason -> assertThat(reason).contains("reserved"));
    assertThat(LoginNames.isWellFormed(reserved)).isTrue();
    assertThat(LoginNames.isReserved(reserved)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice", "a", "bob-smith", "j_doe", "dev01", "x-", "ops_team-2"})
  void acceptsOrdinaryLoginNames(String login) {
    assertThat(LoginNames.problem(login)).isEmpty();
  }

  @Test
  void quotesControlCharactersSoAHostileNameCannotForgeLogLines() {
    assertThat(LoginNames.printable("x\nALL ALL=(ALL) ALL")).isEqualTo("\"x\\u000aALL ALL=(ALL) ALL\"");
    assertThat(LoginNames.printable("a\"b")).isEqualTo("\"a\\u0022b\"");
    assertThat(LoginNames.printable("z".repeat(100))).hasSize(64 + 5).endsWith("\"...");
  }
}
