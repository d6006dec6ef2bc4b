package dev.portcullis.cli;

import dev.portcullis.cli.internal.ApiClient;
import dev.portcullis.cli.internal.CliFailure;
import dev.portcullis.cli.internal.CliHome;
import dev.portcullis.cli.internal.Profile;
import dev.portcullis.cli.internal.ServerError;
import dev.portcullis.cli.internal.SshAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * {@code portcullis logout}: ends the session on the server, takes the key out of ssh-agent and deletes the
 * key, certificate and profile. The local cleanup happens even when the server cannot be reached.
 */
@Command(name = "logout", mixinStandardHelpOptions = true,
    description = "End your session, remove the key from ssh-agent and delete the local key and certificate.")
public final class LogoutCommand extends UserCommand {

  /** The real world ({@link CliContext#system()}). */
  public LogoutCommand() {
    this(null);
  }

  public LogoutCommand(CliContext context) {
    super(context);
  }

  @Override
  int run() throws IOException {
    CliHome home = home();
    Profile profile = requireProfile();
    Optional<String> serverProblem = Optional.empty();
    String serverState = "session ended on the server";
    try (ApiClient api = api(profile)) {
      api.logout(profile.token());
    } catch (ServerError e) {
      if (e.status() == 401) {
        serverState = "the session had already ended on the server";
      } else {
        serverProblem = Optional.of(e.getMessage());
      }
    } catch (CliFailure e) {
      serverProblem = Optional.of(e.getMessage());
    }
    SshAgent agent = new SshAgent(context().environment());
    String agentState = "no ssh-agent";
    if (agent.present() && Files.exists(home.publicKey())) {
      Optional<String> problem = agent.remove(home.privateKey());
      agentState = problem.map(p -> "could not remove the key from ssh-agent: " + p).orElse("key removed from ssh-agent");
    }
    List<Path> deleted = home.deleteCredentials();
    out().println("Logged out " + profile.user() + " from " + profile.proxy() + ": "
        + (serverProblem.isPresent() ? "the server session could NOT be ended" : serverState) + "; " + agentState
        + "; deleted " + deleted.size() + " file(s) under " + home.root() + ".");
    if (serverProblem.isPresent()) {
      throw CliFailure.failure("the local key and certificate are deleted, but the server session may still be"
          + " valid until " + profile.expiresAt() + ": " + serverProblem.get());
    }
    return 0;
  }
}
