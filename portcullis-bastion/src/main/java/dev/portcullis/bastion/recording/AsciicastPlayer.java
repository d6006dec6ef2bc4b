package dev.portcullis.bastion.recording;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.bastion.recording.internal.CastLines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Replays an asciicast v2 recording to a terminal with its recorded timing: writes each output event after
 * the pause that preceded it, divided by a speed factor and optionally capped, like asciinema's
 * {@code idle_time_limit}. Input, resize and marker events are skipped; they are there for review.
 */
public final class AsciicastPlayer {

  /** Waits; {@link #system()} really sleeps, tests record what was asked. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    static Sleeper system() {
      return Thread::sleep;
    }
  }

  /**
   * How to play.
   *
   * @param speed how much faster than recorded, greater than 0 (2 plays twice as fast, 0.5 at half speed)
   * @param maxIdle the longest pause to keep, before the speed applies; empty keeps the recording's own
   *     {@code idle_time_limit} if it has one, else every pause as recorded
   */
  public record Options(double speed, Optional<Duration> maxIdle) {
    public static final Options REAL_TIME = new Options(1, Optional.empty());

    public Options {
      if (!(speed > 0) || Double.isInfinite(speed)) {
        throw new IllegalArgumentException("speed: " + speed + " (expected: a finite number > 0)");
      }
      requireNonNull(maxIdle, "maxIdle");
      maxIdle.ifPresent(idle -> {
        if (idle.isNegative() || idle.isZero()) {
          throw new IllegalArgumentException("maxIdle: " + idle + " (expected: > 0)");
        }
      });
    }
  }

  private final Sleeper sleeper;

  public AsciicastPlayer(Sleeper sleeper) {
    this.sleeper = requireNonNull(sleeper, "sleeper");
  }

  /**
   * Plays {@code cast} (uncompressed asciicast v2, UTF-8) to {@code terminal}, flushing after each output
   * event. Returns the number of output events played.
   *
   * @throws IOException when the cast is not asciicast v2 (the message names the line), or reading or
   *     writing fails
   */
  public long play(InputStream cast, Writer terminal, Options options) throws IOException, InterruptedException {
    requireNonNull(terminal, "terminal");
    requireNonNull(options, "options");
    BufferedReader lines = new BufferedReader(new InputStreamReader(requireNonNull(cast, "cast"), StandardCharsets.UTF_8));
    String headerLine = lines.readLine();
    JsonNode header = headerLine == null ? null : CastLines.parse(headerLine);
    if (!CastLines.isHeader(header)) {
      throw new IOException("line 1: not an asciicast v2 header (expected: {\"version\": 2, \"width\": ..., \"height\": ...})");
    }
    Optional<Long> maxIdleMicros = options.maxIdle().map(idle -> idle.toNanos() / 1_000)
        .or(() -> idleTimeLimit(header));
    long previousMicros = 0;
    long played = 0;
    int number = 1;
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode event = CastLines.parse(line);
      if (!CastLines.isEvent(event)) {
        throw new IOException("line " + number + ": not an asciicast v2 event (expected: [time, code, data])");
      }
      if (!event.get(1).asText().equals("o")) {
        continue;
      }
      long micros = Math.round(event.get(0).asDouble() * 1_000_000);
      long pause = Math.max(0, micros - previousMicros);
      if (maxIdleMicros.isPresent()) {
        pause = Math.min(pause, maxIdleMicros.get());
      }
      previousMicros = micros;
      long nanos = Math.round(pause * 1_000 / options.speed());
      if (nanos > 0) {
        sleeper.sleep(Duration.ofNanos(nanos));
      }
      terminal.write(event.get(2).asText());
      terminal.flush();
      played++;
    }
    return played;
  }

  private static Optional<Long> idleTimeLimit(JsonNode header) {
    JsonNode limit = header.path("idle_time_limit");
    return limit.isNumber() && limit.asDouble() > 0
        ? Optional.of(Math.round(limit.asDouble() * 1_000_000))
        : Optional.empty();
  }
}
