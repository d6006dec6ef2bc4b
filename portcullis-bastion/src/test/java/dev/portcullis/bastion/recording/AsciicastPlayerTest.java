package dev.portcullis.bastion.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsciicastPlayerTest {
  static final String CAST = """
      {"version": 2, "width": 80, "height": 24}
      [1.0, "o", "one "]
      [1.2, "i", "typed"]
      [1.5, "o", "two "]
      [1.7, "r", "100x40"]
      [4.0, "o", "three"]
      [4.0, "m", "marker"]
      [4.25, "o", "!"]
      """;

  final List<Duration> sleeps = new ArrayList<>();
  final AsciicastPlayer player = new AsciicastPlayer(sleeps::add);

  @Test
  void writesOnlyOutputWithTheRecordedPauses() throws Exception {
    assertThat(play(CAST, AsciicastPlayer.Options.REAL_TIME)).isEqualTo("one two three!");
    assertThat(sleeps).containsExactly(millis(1000), millis(500), millis(2500), millis(250));
  }

  @Test
  void dividesPausesByTheSpeedFactor() throws Exception {
    play(CAST, new AsciicastPlayer.Options(2, Optional.empty()));
    assertThat(sleeps).containsExactly(millis(500), millis(250), millis(1250), millis(125));

    sleeps.clear();
    play(CAST, new AsciicastPlayer.Options(0.5, Optional.empty()));
    assertThat(sleeps).containsExactly(millis(2000), millis(1000), millis(5000), millis(500));
  }

  @Test
  void capsIdlePausesBeforeApplyingTheSpeed() throws Exception {
    play(CAST, new AsciicastPlayer.Options(4, Optional.of(Duration.ofMillis(800))));
    assertThat(sleeps).containsExactly(millis(200), millis(125), millis(200), Duration.ofNanos(62_500_000));
  }

  @Test
  void usesTheRecordingsOwnIdleLimitUnlessOneIsGiven() throws Exception {
    String limited = CAST.replace("\"height\": 24", "\"height\": 24, \"idle_time_limit\": 0.3");
    play(limited, AsciicastPlayer.Options.REAL_TIME);
    assertThat(sleeps).containsExactly(millis(300), millis(300), millis(300), millis(250));

    sleeps.clear();
    play(limited, new AsciicastPlayer.Options(1, Optional.of(Duration.ofSeconds(2))));
    assertThat(sleeps).containsExactly(millis(1000), millis(500), millis(2000), millis(250));
  }

  @Test
  void playsBackWhatTheWriterRecordedWithItsTiming(@TempDir Path dir) throws Exception {
    AtomicLong ticker = new AtomicLong();
    try (Recordings recordings = Recordings.open(dir, ticker::get)) {
      RecordingWriter writer = recordings.start("round-trip", new RecordingHeader(80, 24, Instant.EPOCH,
          Optional.empty(), ""));
      ticker.addAndGet(300_000_000);
      writer.output("héllo ".getBytes(StandardCharsets.UTF_8), 0, 7);
      ticker.addAndGet(1_700_000_000);
      writer.input("q".getBytes(StandardCharsets.UTF_8), 0, 1);
      writer.output("world".getBytes(StandardCharsets.UTF_8), 0, 5);
      writer.close();

      StringWriter terminal = new StringWriter();
      try (InputStream cast = recordings.openCast("round-trip")) {
        assertThat(player.play(cast, terminal, AsciicastPlayer.Options.REAL_TIME)).isEqualTo(2);
      }
      assertThat(terminal.toString()).isEqualTo("héllo world");
      assertThat(sleeps).containsExactly(millis(300), millis(1700));
    }
  }

  @Test
  void refusesWhatIsNotAnAsciicastV2Recording() {
    assertThatThrownBy(() -> play("{\"version\": 1, \"width\": 80, \"height\": 24}\n", AsciicastPlayer.Options.REAL_TIME))
        .isInstanceOf(IOException.class).hasMessageContaining("line 1");
    assertThatThrownBy(() -> play("", AsciicastPlayer.Options.REAL_TIME)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> play("{\"version\": 2, \"width\": 80, \"height\": 24}\n[1.0, \"o\"]\n",
        AsciicastPlayer.Options.REAL_TIME)).isInstanceOf(IOException.class).hasMessageContaining("line 2");
  }

  @Test
  void refusesASpeedOrIdleLimitThatIsNotPositive() {
    for (double speed : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> new AsciicastPlayer.Options(speed, Optional.empty()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("speed");
    }
    assertThatThrownBy(() -> new AsciicastPlayer.Options(1, Optional.of(Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxIdle");
  }

  private String play(String cast, AsciicastPlayer.Options options) throws IOException, InterruptedException {
    StringWriter terminal = new StringWriter();
    player.play(new ByteArrayInputStream(cast.getBytes(StandardCharsets.UTF_8)), terminal, options);
    return terminal.toString();
  }

  private static Duration millis(long millis) {
    return Duration.ofMillis(millis);
  }
}
