package dev.portcullis.localauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(new SecureRandom());

  @Test
  void verifiesTheRightPasswordAndRejectsOthers() {
    String phc = hasher.hash("portcullis".toCharArray());

    assertThat(phc).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(PasswordHasher.verify("portcullis".toCharArray(), phc)).isTrue();
    assertThat(PasswordHasher.verify("portculliS".toCharArray(), phc)).isFalse();
    assertThat(PasswordHasher.verify("".toCharArray(), phc)).isFalse();
  }

  @Test
  void saltsEachHashSoEqualPasswordsDiffer() {
    assertThat(hasher.hash("same".toCharArray())).isNotEqualTo(hasher.hash("same".toCharArray()));
  }

  @Test
  void verifiesAHashMadeByTheReferenceArgon2Implementation() {
    // Produced by the argon2 CLI (phc-winner-argon2): echo -n password | argon2 somesaltsomesalt -id -m 12 -t 2 -p 1 -e
    String reference = "$argon2id$v=19$m=4096,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$H5mZn8QsFFwntPktdbjGNtqB+DDJ+nixq94uJAZoqIk";

    assertThat(PasswordHasher.verify("password".toCharArray(), reference)).isTrue();
    assertThat(PasswordHasher.verify("passwore".toCharArray(), reference)).isFalse();
  }

  @Test
  void rejectsAHashThatIsNotArgon2id() {
    assertThatThrownBy(() -> PasswordHasher.verify("x".toCharArray(), "$2y$10$abcdefghijklmnopqrstuv"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("password_hash");
    assertThat(PasswordHasher.isWellFormed("$argon2i$v=19$m=4096,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG")).isFalse();
  }
}
