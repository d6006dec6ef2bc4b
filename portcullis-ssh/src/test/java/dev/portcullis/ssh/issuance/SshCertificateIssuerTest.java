package dev.portcullis.ssh.issuance;

import static dev.portcullis.ssh.issuance.Fixture.ALICE;
import static dev.portcullis.ssh.issuance.Fixture.BOB;
import static dev.portcullis.ssh.issuance.Fixture.DINA;
import static dev.portcullis.ssh.issuance.Fixture.OLGA;
import static dev.portcullis.ssh.issuance.Fixture.OSCAR;
import static dev.portcullis.ssh.issuance.Fixture.PAT;
import static dev.portcullis.ssh.issuance.Fixture.POLICY;
import static dev.portcullis.ssh.issuance.Fixture.VIC;
import static dev.portcullis.ssh.issuance.Fixture.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.identity.Identity;
import dev.portcullis.policy.Reason;
import dev.portcullis.ssh.ca.SshCaType;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import dev.portcullis.ssh.ca.SshPublicKeys;
import dev.portcullis.ssh.ca.UserExtension;
import dev.portcullis.ssh.ca.internal.OpenSshKeys;
import dev.portcullis.testing.TestClock;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates from policy, checked by parsing the issued line back with MINA SSHD. */
class SshCertificateIssuerTest {
  static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
  static final SecureRandom RANDOM = new SecureRandom();
  static final PublicKey KEY = OpenSshKeys.generateEd25519(RANDOM).getPublic();

  @TempDir
  Path dir;
  SshCertificateAuthority ca;
  SshCertificateIssuer issuer;

  @BeforeEach
  void openCa() throws IOException {
    ca = SshCertificateAuthority.open(SshCaType.USER, dir.resolve("ca"), new TestClock(NOW), RANDOM);
    issuer = new SshCertificateIssuer(ca, Locks.NONE);
  }

  Issuance.Issued issue(Identity identity) {
    return issue(identity, Optional.empty());
  }

  Issuance.Issued issue(Identity identity, Optional<Duration> ttl) {
    Issuance issuance = issuer.issue(identity, KEY, POLICY, ttl);
    assertThat(issuance).as(() -> "refused: " + issuance.reasons()).isInstanceOf(Issuance.Issued.class);
    return (Issuance.Issued) issuance;
  }

  /** The certificate as a client would read its -cert.pub file. */
  static OpenSshCertificate parse(Issuance.Issued issued) throws Exception {
    return (OpenSshCertificate) PublicKeyEntry.parsePublicKeyEntry(issued.certificate()).resolvePublicKey(null, null,
        null);
  }

  @Test
  void certificateCarriesTheRolesLoginsShortestTtlUserKeyIdAndGrantedForwarding() throws Exception {
    Issuance.Issued issued = issue(OSCAR);
    OpenSshCertificate cert = parse(issued);

    assertThat(cert.getType()).isEqualTo(OpenSshCertificate.Type.USER);
    assertThat(cert.getCertPubKey()).isEqualTo(KEY);
    assertThat(cert.getCaPubKey()).isEqualTo(ca.activeKey().publicKey());
    assertThat(cert.getPrincipals()).as("root granted by ops, denied by dev").containsExactly("oscar", "ubuntu");
    assertThat(cert.getId()).isEqualTo("oscar@corp");
    assertThat(cert.getValidAfter()).isEqualTo(NOW.minusSeconds(60).getEpochSecond());
    assertThat(cert.getValidBefore()).as("ops caps at 2h, dev at 8h").isEqualTo(NOW.plus(Duration.ofHours(2))
        .getEpochSecond());
    assertThat(cert.getExtensionsMap()).as("dev allows port, ops agent forwarding").containsOnlyKeys(
        "permit-pty", "permit-port-forwarding", "permit-agent-forwarding");
    assertThat(cert.getCriticalOptions()).isEmpty();
  }

  @Test
  void resultDescribesTheCertificateItHoldsAndWhy() throws Exception {
    Issuance.Issued issued = issue(OSCAR);
    OpenSshCertificate cert = parse(issued);

    assertThat(issued.user()).isEqualTo("oscar");
    assertThat(issued.provider()).isEqualTo("corp");
    assertThat(issued.keyId()).isEqualTo(cert.getId());
    assertThat(issued.principals()).isEqualTo(cert.getPrincipals());
    assertThat(issued.roles()).containsExactly("dev", "ops");
    assertThat(issued.serial()).isEqualTo(cert.getSerial());
    assertThat(issued.validAfter()).isEqualTo(Instant.ofEpochSecond(cert.getValidAfter()));
    assertThat(issued.validBefore()).isEqualTo(Instant.ofEpochSecond(cert.getValidBefore()));
    assertThat(issued.extensions()).containsExactlyInAnyOrder(UserExtension.PORT_FORWARDING,
        UserExtension.AGENT_FORWARDING);
    assertThat(issued.caFingerprint()).isEqualTo(ca.activeKey().fingerprint());
    assertThat(issued.publicKeyFingerprint()).isEqualTo(SshPublicKeys.fingerprint(KEY));
    assertThat(issued.reasons()).contains(new Reason("login-deny", "role dev denies logins [root]"));
  }

  @Test
  void templatesExpandIntoPrincipals() throws Exception {
    assertThat(parse(issue(ALICE)).getPrincipals()).containsExactly("alice", "asmith", "ubuntu");
    assertThat(parse(issue(OLGA)).getPrincipals()).containsExactly("olga", "root");
  }

  @Test
  void hostileClaimsAndNamesNeverBecomePrincipals() throws Exception {
    Identity mallory = user("Mallory", "Mal.Lory@example.com", List.of("dev", "ops"), Map.of("unix_login", List.of(
        "Root", "root\n", "../x", "a b", "x".repeat(40), "root;reboot", 0, true, Map.of("login", "admin"))));

    Issuance.Issued issued = issue(mallory);

    assertThat(parse(issued).getPrincipals()).containsExactly("ubuntu");
    assertThat(issued.reasons()).filteredOn(r -> r.code().equals("login-dropped")).extracting(Reason::detail)
        .containsExactly("role dev allow: {{email.local}} gave 1 value that is not a valid login",
            "role dev allow: {{external.unix_login}} gave 9 values that are not a valid login",
            "role ops allow: {{internal.username}} gave 1 value that is not a valid login");
  }

  @Test
  void ttlIsTheSmallestAmongTheRolesEvenWhenARoleHasNoLogins() throws Exception {
    Identity both = user("val", "val@example.com", List.of("dev", "viewer"), Map.of());

    assertThat(issue(ALICE).validBefore()).isEqualTo(NOW.plus(Duration.ofHours(8)));
    assertThat(issue(both).validBefore()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
  }

  @Test
  void requestedTtlMayShortenButNeverLengthen() {
    assertThat(issue(ALICE, Optional.of(Duration.ofMinutes(5))).validBefore()).isEqualTo(NOW.plusSeconds(300));
    assertThat(issue(ALICE, Optional.of(Duration.ofDays(30))).validBefore()).isEqualTo(NOW.plus(Duration.ofHours(8)));
  }

  @Test
  void forwardingComesOnlyFromARoleThatAllowsIt() throws Exception {
    assertThat(parse(issue(PAT)).getExtensionsMap()).as("no role allows anything").containsOnlyKeys("permit-pty");
    assertThat(issue(PAT).extensions()).isEmpty();
    assertThat(parse(issue(ALICE)).getExtensionsMap()).containsOnlyKeys("permit-pty", "permit-port-forwarding");
    assertThat(parse(issue(OLGA)).getExtensionsMap()).containsOnlyKeys("permit-pty", "permit-agent-forwarding");
    assertThat(parse(issue(DINA)).getExtensionsMap()).as("any role suffices: dev port, designer X11")
        .containsOnlyKeys("permit-pty", "permit-port-forwarding", "permit-X11-forwarding");
  }

  @Test
  void userWithoutLoginsGetsAClearRefusal() {
    Issuance viewer = issuer.issue(VIC, KEY, POLICY, Optional.empty());
    Issuance nobody = issuer.issue(BOB, KEY, POLICY, Optional.empty());

    assertThat(viewer).isInstanceOfSatisfying(Issuance.Refused.class, refused -> {
      assertThat(refused.code()).isEqualTo("no-logins");
      assertThat(refused.detail()).isEqualTo("roles [viewer] of user vic grant no SSH logins");
    });
    assertThat(nobody).isInstanceOfSatisfying(Issuance.Refused.class, refused ->
        assertThat(refused.detail()).isEqualTo("user bob has no roles: no role mapping matched"));
    assertThat(viewer.auditCode()).isEqualTo(AuditCode.CERTIFICATE_REFUSED);
    assertThat(viewer.auditReasons()).last().isEqualTo("no-logins: roles [viewer] of user vic grant no SSH logins");
  }

  @Test
  void lockedUserGetsNoCertificateWhateverTheirRoles() {
    SshCertificateIssuer locking = new SshCertificateIssuer(ca, identity ->
        identity.username().equals("olga") ? Optional.of("locked by admin: offboarding") : Optional.empty());

    Issuance olga = locking.issue(OLGA, KEY, POLICY, Optional.empty());

    assertThat(olga).isInstanceOfSatisfying(Issuance.Refused.class, refused -> {
      assertThat(refused.code()).isEqualTo("user-locked");
      assertThat(refused.reasons()).containsExactly(
          new Reason("user-locked", "user olga is locked: locked by admin: offboarding"));
    });
    assertThat(locking.issue(OSCAR, KEY, POLICY, Optional.empty()).issued()).isTrue();
  }

  @Test
  void keyIdEncodesUnusualUserNamesReversibly() {
    Identity jorg = user("jörg müller\nFAKE", "j@example.com", List.of("plain"), Map.of());

    Issuance.Issued issued = issue(jorg);

    assertThat(issued.keyId()).isEqualTo("j%C3%B6rg%20m%C3%BCller%0AFAKE@corp");
    assertThat(SshKeyId.parse(issued.keyId())).isEqualTo(new SshKeyId("jörg müller\nFAKE", "corp"));
  }

  @Test
  void userNameTooLongForAKeyIdIsRefused() {
    Issuance issuance = issuer.issue(user("é".repeat(100), "x@example.com", List.of("plain"), Map.of()), KEY, POLICY,
        Optional.empty());

    assertThat(issuance).isInstanceOfSatisfying(Issuance.Refused.class,
        refused -> assertThat(refused.code()).isEqualTo("key-id-too-long"));
  }

  @Test
  void tooManyLoginsAreRefusedRatherThanCut() {
    List<String> logins = java.util.stream.IntStream.range(0, 300).mapToObj(i -> "u" + i).toList();
    Identity crowd = user("crowd", "crowd@example.com", List.of("dev"), Map.of("unix_login", logins));

    Issuance issuance = issuer.issue(crowd, KEY, POLICY, Optional.empty());

    assertThat(issuance).isInstanceOfSatisfying(Issuance.Refused.class, refused -> assertThat(refused.detail())
        .isEqualTo("user crowd has 302 logins (expected: at most 256 in one certificate)"));
  }

  @Test
  void auditFactsNameTheCertificateWithoutItsBody() {
    Issuance.Issued issued = issue(ALICE);

    assertThat(issued.auditCode()).isEqualTo(AuditCode.CERTIFICATE_ISSUED);
    assertThat(issued.auditCode().code()).isEqualTo("PC4000I");
    assertThat(AuditCode.CERTIFICATE_REFUSED.code()).isEqualTo("PC4001W");
    assertThat(AuditCode.CERTIFICATE_REFUSED.type()).isEqualTo("cert.refused");
    assertThat(issued.auditDetails()).containsEntry("key_id", "alice@corp")
        .containsEntry("serial", Long.toUnsignedString(issued.serial()))
        .containsEntry("principals", "alice,asmith,ubuntu")
        .containsEntry("extensions", "permit-port-forwarding")
        .containsEntry("valid_before", "2030-06-01T20:00:00Z")
        .containsEntry("ca_fingerprint", ca.activeKey().fingerprint());
    assertThat(issued.auditDetails().values()).noneMatch(v -> v.contains(issued.certificate().split(" ")[1]));
  }

  @Test
  void inputErrorsAreExceptionsNotRefusals() throws NoSuchAlgorithmException {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    PublicKey weak = rsa.generateKeyPair().getPublic();

    assertThatThrownBy(() -> issuer.issue(ALICE, weak, POLICY, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RSA key of 1024 bits");
    assertThatThrownBy(() -> issuer.issue(ALICE, KEY, POLICY, Optional.of(Duration.ZERO)))
        .hasMessage("requestedTtl: PT0S (expected: >= 1s)");
  }

  @Test
  void onlyTheUserCaIssues() throws IOException {
    SshCertificateAuthority hostCa = SshCertificateAuthority.open(SshCaType.HOST, dir.resolve("ca"), new TestClock(NOW),
        RANDOM);

    assertThatThrownBy(() -> new SshCertificateIssuer(hostCa, Locks.NONE))
        .hasMessage("userCa: the ssh-host CA (expected: the ssh-user CA)");
    assertThat(issue(ALICE).extensions()).isEqualTo(Set.of(UserExtension.PORT_FORWARDING));
  }
}
