package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.cli.fixtures.CliRunner;
import dev.portcullis.cli.fixtures.CliRunner.Run;
import dev.portcullis.cli.fixtures.ScriptedServer;
import dev.portcullis.cli.fixtures.ScriptedServer.User;
import dev.portcullis.cli.fixtures.SelfSignedTls;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** TLS to the server is verified normally; {@code --insecure} turns that off, loudly and for good. */
class TlsTest extends WithScriptedServer {

  @Test
  void refusesASelfSignedServerWithTheSystemTrustAndSendsItNothing() {
    Run run = loginAlice(context().trustedTls(TlsTest::systemDefault));

    assertThat(run.exitCode()).as(run::describe).isEqualTo(1);
    assertThat(run.err()).contains("cannot verify the TLS certificate of " + server.url() + "/.portcullis/api/v1/login/local")
        .contains("--insecure");
    // The handshake failed before any request: the password never left.
    assertThat(server.requests()).isEmpty();
    assertThat(cliHome().resolve("profile.json")).doesNotExist();
  }

  @Test
  void refusesATrustedCertificateIssuedForAnotherHost() throws IOException {
    SelfSignedTls otherHost = SelfSignedTls.create("127.0.0.2");
    try (ScriptedServer impostor = ScriptedServer.start(dir.resolve("impostor"), otherHost)) {
      impostor.addUser(User.of("alice", ALICE_PASSWORD, List.of("dev"), List.of("alice")));

      Run run = CliRunner.run(new LoginCommand(context().trustedTls(otherHost::clientContext)
              .stdin(CliRunner.stdin(ALICE_PASSWORD + "\n")).build()),
          "--proxy", impostor.url().toString(), "--user", "alice", "--password-stdin");

      assertThat(run.exitCode()).as(run::describe).isEqualTo(1);
      assertThat(run.err()).contains("cannot verify the TLS certificate of " + impostor.url());
      assertThat(impostor.requests()).isEmpty();
    }
  }

  @Test
  void insecureAcceptsTheSelfSignedServerWarnsAndRemembersIt() throws IOException {
    Run login = loginAlice(context().trustedTls(TlsTest::systemDefault), "--insecure");

    assertThat(login.exitCode()).as(login::describe).isZero();
    assertThat(login.err()).contains("WARNING: --insecure: the TLS certificate of " + server.url() + " is NOT verified");
    assertThat(new ObjectMapper().readTree(Files.readString(cliHome().resolve("profile.json"))).get("insecure")
        .asBoolean()).isTrue();

    CliContext later = context().trustedTls(TlsTest::systemDefault).build();
    Run status = CliRunner.run(new StatusCommand(later));
    Run sshConfig = CliRunner.run(new SshConfigCommand(later), "--hosts", "*.example.com");
    Run logout = CliRunner.run(new LogoutCommand(later));

    assertThat(status.err()).contains("WARNING: --insecure");
    assertThat(status.out()).contains("TLS NOT VERIFIED");
    // ssh-config refreshed the host CA over the same unverified TLS, and still says so.
    assertThat(sshConfig.exitCode()).as(sshConfig::describe).isZero();
    assertThat(sshConfig.err()).contains("WARNING: --insecure");
    assertThat(logout.exitCode()).as(logout::describe).isZero();
    assertThat(logout.err()).contains("WARNING: --insecure");
    assertThat(server.endedTokens()).hasSize(1);
  }

  private static SSLContext systemDefault() {
    try {
      return SSLContext.getDefault();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
