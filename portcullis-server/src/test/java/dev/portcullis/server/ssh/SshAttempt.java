package dev.portcullis.server.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testing.openssh.Command;
import java.time.Duration;

/**
 * One run of the real ssh client against a node, with the node's sshd log from just before it: the assertions
 * check both sides, what the client saw and what sshd logged, and show both when they fail.
 */
record SshAttempt(TestNode node, int mark, Command.Result result) {

  private static final Duration LOG_WAIT = Duration.ofSeconds(5);

  /** The client got in and the remote command succeeded; sshd accepted a certificate with {@code keyId}. */
  SshAttempt assertLoggedIn(String keyId) {
    assertThat(result.exitCode()).as(this::describe).isZero();
    assertThat(node.sshd.awaitLog(mark, "Accepted certificate ID \"" + keyId + "\"", LOG_WAIT)).as(this::describe)
        .isTrue();
    return this;
  }

  /**
   * Refused because the principals command (the server) allowed nothing: sshd trusted the certificate, ran the
   * command, which succeeded, and found none of the certificate's principals in its answer. Without the command
   * sshd would have accepted any login the certificate lists.
   */
  SshAttempt assertRefusedByPrincipals() {
    assertThat(result.exitCode()).as(this::describe).isEqualTo(255);
    assertThat(result.stderr()).as(this::describe).contains("Permission denied (publickey)");
    assertThat(node.sshd.awaitLog(mark, "Certificate does not contain an authorized principal", LOG_WAIT))
        .as(this::describe).isTrue();
    assertThat(node.sshd.logSince(mark)).as(this::describe)
        .noneMatch(line -> line.contains("Accepted publickey"))
        .noneMatch(line -> line.contains("AuthorizedPrincipalsCommand") && line.contains("failed"));
    return this;
  }

  String stdout() {
    return result.stdout();
  }

  private String describe() {
    return result.describe() + "\n" + node.logSince(mark);
  }
}
