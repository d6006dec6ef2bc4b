package dev.portcullis.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.ssh.ca.SshCaType;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import dev.portcullis.ssh.ca.SshPublicKeys;
import dev.portcullis.testing.TestClock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo node's host key: certified by the host CA for the node's names, and certified again before it expires. */
class DemoHostKeyTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));

  @Test
  void theKeyIsCertifiedByTheHostCaForTheNodesNamesAndServedWithIt(@TempDir Path dir) throws Exception {
    SshCertificateAuthority hostCa = SshCertificateAuthority.open(SshCaType.HOST, dir, clock, new SecureRandom());

    DemoHostKey hostKey = DemoHostKey.create(hostCa, "node:demo-node", List.of("demo-node", "127.0.0.1"), clock,
        new SecureRandom());

    OpenSshCertificate served = hostKey.certificateProvider().loadCertificates(null).iterator().next();
    assertThat(served.getType()).isEqualTo(OpenSshCertificate.Type.HOST);
    assertThat(served.getPrincipals()).containsExactly("demo-node", "127.0.0.1");
    assertThat(SshPublicKeys.fingerprint(served.getCaPubKey())).isEqualTo(hostCa.activeKey().fingerprint());
    assertThat(SshPublicKeys.fingerprint(served.getCertPubKey())).isEqualTo(hostKey.fingerprint());
    assertThat(hostKey.keyPairProvider().loadKeys(null).iterator().next().getPublic())
        .isEqualTo(served.getCertPubKey());
    assertThat(hostKey.certificate().validBefore()).isEqualTo(clock.instant().plus(DemoHostKey.TTL));
  }

  @Test
  void aHeartbeatRenewsTheCertificateOnlyOnceLessThanAThirdOfItsLifetimeIsLeft(@TempDir Path dir) throws Exception {
    SshCertificateAuthority hostCa = SshCertificateAuthority.open(SshCaType.HOST, dir, clock, new SecureRandom());
    DemoHostKey hostKey = DemoHostKey.create(hostCa, "node:demo-node", List.of("demo-node"), clock, new SecureRandom());
    long firstSerial = hostKey.certificate().serial();

    clock.advance(Duration.ofDays(19));
    assertThat(hostKey.renewIfDue()).as("11 days of 30 left").isFalse();
    clock.advance(Duration.ofDays(2));
    assertThat(hostKey.renewIfDue()).as("9 days of 30 left").isTrue();

    OpenSshCertificate served = hostKey.certificateProvider().loadCertificates(null).iterator().next();
    assertThat(served.getSerial()).isNotEqualTo(firstSerial).isEqualTo(hostKey.certificate().serial());
    assertThat(hostKey.certificate().validBefore()).isEqualTo(clock.instant().plus(DemoHostKey.TTL));
    assertThat(SshPublicKeys.fingerprint(served.getCertPubKey())).as("the same key").isEqualTo(hostKey.fingerprint());
  }
}
