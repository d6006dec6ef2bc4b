package dev.portcullis.cli;

import dev.portcullis.cli.fixtures.CliRunner;
import dev.portcullis.cli.fixtures.CliRunner.Run;
import dev.portcullis.cli.fixtures.ScriptedServer;
import dev.portcullis.cli.fixtures.ScriptedServer.User;
import dev.portcullis.cli.fixtures.SelfSignedTls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the CLI tests: a scripted Portcullis server over HTTPS with a self-signed certificate that the CLI
 * trusts (so TLS is verified for real), a user home of its own, and the users alice (logins root and alice), bob
 * (needs TOTP 654321) and carol (no logins).
 */
abstract class WithScriptedServer {

  static final SelfSignedTls TLS = SelfSignedTls.create();
  static final String ALICE_PASSWORD = "correct horse battery staple";

  @TempDir
  Path dir;
  ScriptedServer server;
  Path userHome;

  @BeforeEach
  void startServer() throws IOException {
    server = ScriptedServer.start(dir.resolve("server"), TLS);
    server.addUser(User.of("alice", ALICE_PASSWORD, List.of("dev", "ops"), List.of("root", "alice")));
    server.addUser(new User("bob", "bob-password", "654321", List.of("dev"), List.of("bob"), false));
    server.addUser(User.of("carol", "carol-password", List.of("guest"), List.of()));
    userHome = dir.resolve("home");
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** A context for this test's home and server; tests change what they need. */
  CliContext.Builder context() {
    return CliRunner.context(userHome, TLS);
  }

  /** The CLI's directory under the default layout. */
  Path cliHome() {
    return userHome.resolve(".portcullis");
  }

  /** {@code portcullis login --proxy URL --user alice --password-stdin} in {@code context}. */
  Run loginAlice(CliContext.Builder context, String... extra) {
    List<String> arguments = new ArrayList<>(List.of("--proxy", server.url().toString(), "--user", "alice",
        "--password-stdin"));
    arguments.addAll(List.of(extra));
    return CliRunner.run(new LoginCommand(context.stdin(CliRunner.stdin(ALICE_PASSWORD + "\n")).build()),
        arguments.toArray(String[]::new));
  }
}
