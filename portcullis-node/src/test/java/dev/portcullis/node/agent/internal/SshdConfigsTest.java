package dev.portcullis.node.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshdConfigsTest {

  private static final Path DROP_IN = Path.of("/etc/ssh/sshd_config.d/50-portcullis.conf");

  @TempDir Path dir;

  @Test
  void findsDebiansIncludeOfTheDropInDirectory() throws IOException {
    assertThat(SshdConfigs.includes(config("# comment", "Include /etc/ssh/sshd_config.d/*.conf", "Port 22"), DROP_IN))
        .isTrue();
  }

  @Test
  void resolvesRelativeIncludesAgainstEtcSshAndAcceptsQuotesAndEqualsSigns() throws IOException {
    assertThat(SshdConfigs.includes(config("include sshd_config.d/*.conf"), DROP_IN)).isTrue();
    assertThat(SshdConfigs.includes(config("Include=\"/etc/ssh/sshd_config.d/*.conf\""), DROP_IN)).isTrue();
    assertThat(SshdConfigs.includes(config("Include /etc/ssh/other.conf /etc/ssh/sshd_config.d/50-*"), DROP_IN))
        .isTrue();
  }

  @Test
  void doesNotCountCommentedOrNonMatchingIncludes() throws IOException {
    assertThat(SshdConfigs.includes(config("#Include /etc/ssh/sshd_config.d/*.conf"), DROP_IN)).isFalse();
    assertThat(SshdConfigs.includes(config("Include /etc/ssh/sshd_config.d/*.cfg"), DROP_IN)).isFalse();
    assertThat(SshdConfigs.includes(config("Include /etc/ssh/*.conf"), DROP_IN)).isFalse();
    assertThat(SshdConfigs.includes(config("Port 22"), DROP_IN)).isFalse();
  }

  @Test
  void rendersTheDropInAndChecksThatSshdUsesIt() {
    String command = "/etc/portcullis/portcullis node principals --login=%u --key-id=%i";
    SshdConfigs.DropIn dropIn = new SshdConfigs.DropIn("web-1", Path.of("/etc/ssh/ca.pub"),
        Path.of("/etc/ssh/host-cert.pub"), command, "portcullis");

    assertThat(dropIn.render()).contains("TrustedUserCAKeys /etc/ssh/ca.pub\n",
        "HostCertificate /etc/ssh/host-cert.pub\n",
        "AuthorizedPrincipalsCommand /etc/portcullis/portcullis node principals --login=%u --key-id=%i\n",
        "AuthorizedPrincipalsCommandUser portcullis\n");
    Map<String, List<String>> inForce = SshdConfigs.parseEffective("""
        port 22
        trustedusercakeys /etc/ssh/ca.pub
        hostcertificate /etc/ssh/other-cert.pub
        hostcertificate /etc/ssh/host-cert.pub
        authorizedprincipalscommand /etc/portcullis/portcullis node principals --login=%u --key-id=%i
        authorizedprincipalscommanduser portcullis
        authorizedprincipalsfile none
        """);
    assertThat(dropIn.notInForce(inForce)).isEmpty();
    Map<String, List<String>> overridden = SshdConfigs.parseEffective("""
        trustedusercakeys /etc/ssh/local.pub
        authorizedprincipalscommand none
        authorizedprincipalsfile /etc/ssh/principals/%u
        """);
    assertThat(dropIn.notInForce(overridden)).hasValueSatisfying(problem -> assertThat(problem)
        .contains("trustedusercakeys is /etc/ssh/local.pub instead of /etc/ssh/ca.pub",
            "authorizedprincipalscommanduser is unset", "HostCertificate does not list /etc/ssh/host-cert.pub",
            "authorizedprincipalsfile is /etc/ssh/principals/%u instead of none"));
  }

  @Test
  void refusesPathsSshdWouldSplitOrExpand() {
    for (String path : List.of("/etc/my ssh/ca.pub", "/etc/ssh/%u.pub", "/etc/ssh/\"ca\".pub", "relative/ca.pub")) {
      assertThatThrownBy(() -> SshdConfigs.requirePlainPath("userCaKeys", Path.of(path)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("userCaKeys: " + path);
    }
    assertThat(SshdConfigs.requirePlainPath("p", Path.of("/etc/ssh/portcullis_user-ca.pub")))
        .isEqualTo(Path.of("/etc/ssh/portcullis_user-ca.pub"));
  }

  private Path config(String... lines) throws IOException {
    return Files.write(dir.resolve("sshd_config"), List.of(lines));
  }
}
