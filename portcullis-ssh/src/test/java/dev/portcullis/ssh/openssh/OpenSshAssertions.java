package dev.portcullis.ssh.openssh;

import dev.portcullis.testing.openssh.Command;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

/** Assertions on a login attempt, checked on both sides: what the client saw and what sshd logged. */
public final class OpenSshAssertions {

  private static final Duration LOG_WAIT = Duration.ofSeconds(5);

  private OpenSshAssertions() {}

  /** The client got in, and sshd says it accepted the certificate. */
  public static void assertLoggedIn(TestSshd sshd, int mark, Command.Result result) {
    assertThat(result.exitCode()).as(() -> "login should succeed:\n" + result.describe() + "\nsshd:\n"
        + String.join("\n", sshd.logSince(mark))).isZero();
    assertThat(sshd.awaitLog(mark, "Accepted publickey for " + sshd.login(), LOG_WAIT))
        .as(() -> "sshd log:\n" + String.join("\n", sshd.logSince(mark))).isTrue();
  }

  /**
   * sshd refused the user's key, and logged {@code reason} for it; it accepted nothing in between. The reason
   * makes sure the refusal has the cause the test is about, not some other one.
   */
  public static void assertRefused(TestSshd sshd, int mark, Command.Result result, String reason) {
    assertThat(result.exitCode()).as(() -> "login should be refused:\n" + result.describe()).isEqualTo(255);
    assertThat(result.stderr()).as(result::describe).contains("Permission denied (publickey)");
    assertThat(sshd.awaitLog(mark, reason, LOG_WAIT))
        .as(() -> "sshd should log \"" + reason + "\"; its log:\n" + String.join("\n", sshd.logSince(mark)))
        .isTrue();
    assertThat(sshd.logSince(mark)).noneMatch(line -> line.contains("Accepted publickey"));
  }
}
