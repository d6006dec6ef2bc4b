package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({"90s, PT1M30S", "30m, PT30M", "8h, PT8H", "7d, PT168H", "1s, PT1S"})
  void parsesANumberAndAUnit(String text, Duration expected) {
    assertThat(Durations.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"90", "1h30m", "1.5h", "-5s", "5 s", "5S", "5ms", "PT5S", "", "h", "0s", "9999999999s"})
  void refusesAnythingElse(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(expected: a positive whole number and a unit s, m, h or d");
  }

  @ParameterizedTest
  @CsvSource({"PT1M30S, 90s", "PT30M, 30m", "PT8H, 8h", "PT168H, 7d"})
  void formatsInTheLargestExactUnit(Duration duration, String text) {
    assertThat(Durations.format(duration)).isEqualTo(text);
    assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
  }
}
