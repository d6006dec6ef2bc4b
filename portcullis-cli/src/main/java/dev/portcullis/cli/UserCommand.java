package dev.portcullis.cli;

import dev.portcullis.cli.internal.ApiClient;
import dev.portcullis.cli.internal.CliFailure;
import dev.portcullis.cli.internal.CliHome;
import dev.portcullis.cli.internal.InsecureTls;
import dev.portcullis.cli.internal.Profile;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every user command shares: its {@link CliContext}, the CLI directory, talking to the server, and turning
 * failures into one clear line on stderr with exit code 1 (failure) or 2 (usage), never a stack trace.
 */
abstract class UserCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  private CliContext context;

  UserCommand(CliContext context) {
    this.context = context;
  }

  /** Implemented by each command. */
  abstract int run() throws IOException;

  @Override
  public final Integer call() {
    try {
      return run();
    } catch (CliFailure failure) {
      err().println("portcullis: " + failure.getMessage());
      return failure.exitCode();
    } catch (IOException e) {
      err().println("portcullis: " + e.getMessage());
      return CliFailure.FAILURE;
    } finally {
      out().flush();
      err().flush();
    }
  }

  /** The context given at construction, else the real one (made on first use: picocli builds every command). */
  final CliContext context() {
    if (context == null) {
      context = CliContext.system();
    }
    return context;
  }

  final CliHome home() {
    return new CliHome(context().home());
  }

  final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  final PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** A client for {@code proxy}; with {@code insecure} it trusts any certificate (callers warn). */
  final ApiClient api(URI proxy, boolean insecure) {
    return new ApiClient(proxy, insecure ? InsecureTls.context(context().random()) : context().trustedTls().get());
  }

  /** A client for the profile's server, with the TLS choice made at login ({@link #requireProfile} warned). */
  final ApiClient api(Profile profile) {
    return api(profile.proxy(), profile.insecure());
  }

  final void warnInsecure(URI proxy) {
    err().println(InsecureTls.warning(proxy));
  }

  /** The profile; warns when it was made with {@code --insecure}, on every command that uses it. */
  final Profile requireProfile() {
    Profile profile = home().requireProfile();
    if (profile.insecure()) {
      warnInsecure(profile.proxy());
    }
    return profile;
  }

  final Instant now() {
    return context().clock().instant();
  }

  /** {@code 2030-01-01T08:00:00Z (in 7h 59m)} or {@code ... (3m ago)}. */
  final String when(Instant instant) {
    if (instant.equals(Instant.MAX)) {
      return "forever";
    }
    Duration delta = Duration.between(now(), instant);
    String relative = delta.isNegative() ? human(delta.negated()) + " ago" : "in " + human(delta);
    return instant.truncatedTo(ChronoUnit.SECONDS) + " (" + relative + ")";
  }

  private static String human(Duration duration) {
    long minutes = duration.toMinutes();
    if (minutes < 1) {
      return duration.toSeconds() + "s";
    }
    if (minutes < 60) {
      return minutes + "m";
    }
    if (minutes < 48 * 60) {
      return (minutes / 60) + "h " + (minutes % 60) + "m";
    }
    return duration.toDays() + "d";
  }
}
