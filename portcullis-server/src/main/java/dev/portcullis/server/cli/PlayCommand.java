package dev.portcullis.server.cli;

import dev.portcullis.bastion.recording.AsciicastPlayer;
import dev.portcullis.config.Durations;
import dev.portcullis.config.PortcullisConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis play SESSION_ID}: replays a recorded SSH session in this terminal with its real timing. */
@Command(name = "play", mixinStandardHelpOptions = true,
    description = "Replay a recorded SSH session in the terminal, with its real timing.")
final class PlayCommand implements Callable<Integer> {
  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,6})?");

  @Spec CommandSpec spec;
  @Mixin AdminStorage storage;

  @Parameters(index = "0", paramLabel = "SESSION_ID", description = "The session, as sessions ls shows it.")
  String id;

  @Option(names = {"-s", "--speed"}, defaultValue = "1", paramLabel = "FACTOR",
      description = "Play this many times faster, for example 2 or 0.5 (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(names = {"-i", "--max-idle"}, paramLabel = "DURATION",
      description = "Shorten longer pauses to this, in seconds (2.5) or with a unit (30s, 2m).")
  String maxIdle;

  @Override
  public Integer call() throws InterruptedException {
    AsciicastPlayer.Options options;
    try {
      options = new AsciicastPlayer.Options(speed, Optional.ofNullable(maxIdle).map(PlayCommand::idle));
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      throw new CliException(message.startsWith("speed: ") ? "--" + message
          : "--max-idle: " + message.replaceFirst("^maxIdle: ", ""));
    }
    PortcullisConfig config = storage.load();
    PrintWriter terminal = spec.commandLine().getOut();
    try (InputStream cast = SessionsCommand.openRecording(storage, config, id)) {
      new AsciicastPlayer(AsciicastPlayer.Sleeper.system()).play(cast, terminal, options);
    } catch (IOException e) {
      throw new CliException("playing session " + id + " failed: " + e.getMessage(), 1);
    } finally {
      terminal.flush();
    }
    return 0;
  }

  private static Duration idle(String text) {
    if (SECONDS.matcher(text).matches()) {
      return Duration.ofNanos(Math.round(Double.parseDouble(text) * 1e9));
    }
    return Durations.parse(text);
  }
}
