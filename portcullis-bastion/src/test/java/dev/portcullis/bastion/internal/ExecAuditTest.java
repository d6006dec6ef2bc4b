package dev.portcullis.bastion.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Recognizing legacy scp in exec requests. */
class ExecAuditTest {

  @Test
  void recognizesUploadsAndDownloadsWithTheirPaths() {
    assertThat(ExecAudit.scp("scp -t uploads/report.pdf"))
        .contains(new ExecAudit.Scp("upload", "uploads/report.pdf", false));
    assertThat(ExecAudit.scp("/usr/bin/scp -r -f /var/log"))
        .contains(new ExecAudit.Scp("download", "/var/log", true));
    assertThat(ExecAudit.scp("scp -v -d -t -- dir with space"))
        .contains(new ExecAudit.Scp("upload", "dir with space", false));
  }

  @Test
  void otherCommandsAreNotScp() {
    assertThat(ExecAudit.scp("echo scp -t x")).isEmpty();
    assertThat(ExecAudit.scp("scp file host:")).isEmpty();
    assertThat(ExecAudit.scp("")).isEmpty();
  }

  @Test
  void longCommandsAreTruncatedForTheAuditLog() {
    String command = "x".repeat(5000);
    assertThat(ExecAudit.shown(command)).hasSize(ExecAudit.MAX_COMMAND + "...(truncated)".length());
    assertThat(ExecAudit.shown("ls -l")).isEqualTo("ls -l");
  }
}
