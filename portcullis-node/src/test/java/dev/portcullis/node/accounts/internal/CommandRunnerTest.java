package dev.portcullis.node.accounts.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {

  private final CommandRunner runner = new CommandRunner(Duration.ofSeconds(5));

  @Test
  void passesArgumentsVerbatimWithoutAShell() throws IOException {
    CommandRunner.Result result = runner.run(Path.of("/bin/echo"), "a;id", "$(id)", "`id`", "x\ny", "*");

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo("a;id $(id) `id` x\ny *\n");
  }

  @Test
  void givesTheChildOnlyAMinimalEnvironment() throws IOException {
    CommandRunner.Result result = runner.run(Path.of("/usr/bin/env"));

    assertThat(result.stdout().lines()).containsExactlyInAnyOrder("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C");
  }

  @Test
  void failsWithTheExitCodeAndStderrWhenTheCodeIsNotAccepted() {
    assertThatThrownBy(() -> runner.run(Set.of(0), Path.of("/bin/sh"), "-c", "echo broken >&2; exit 3"))
        .isInstanceOfSatisfying(CommandFailedException.class, e -> assertThat(e.exitCode()).isEqualTo(3))
        .hasMessage("/bin/sh exited with 3: broken");
  }

  @Test
  void killsACommandThatRunsPastTheTimeLimit() {
    CommandRunner quick = new CommandRunner(Duration.ofMillis(300));
    long start = System.nanoTime();

    assertThatThrownBy(() -> quick.run(Path.of("/bin/sleep"), "30"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ran longer than");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void refusesARelativeProgramAndReportsAMissingOne() {
    assertThatThrownBy(() -> runner.run(Path.of("useradd"), "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> runner.run(Path.of("/nonexistent/useradd"), "x"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("missing");
  }

  @Test
  void readsNothingFromOurStdin() throws IOException {
    CommandRunner.Result result = runner.run(Path.of("/bin/cat"));

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEmpty();
  }
}
