package dev.portcullis.bastion.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testing.RealComponents;
import dev.portcullis.testing.openssh.Command;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official asciinema CLI (Debian package {@code asciinema}) plays an exported recording and prints
 * exactly the output that was recorded. It insists on a terminal, so it runs under {@code script}, whose
 * pseudo-terminal it switches to raw mode: the bytes come through untranslated.
 */
class AsciinemaCompatibilityTest {
  @TempDir Path dir;

  @BeforeAll
  static void requireAsciinema() {
    RealComponents.requireOrSkip(onPath("asciinema") && onPath("script"),
        "the asciinema player and script (apt-get install asciinema bsdutils)");
  }

  @Test
  void asciinemaCatAndPlayPrintWhatWasRecorded() throws IOException {
    AtomicLong ticker = new AtomicLong();
    String shown = "\u001b[1;32malice@demo-node\u001b[0m:~$ printf '\"é\\\\t€\"\\n'\r\n\"é\\t€\"\r\n"
        + "tab\there 😀 \u0007bell\r\n";
    byte[] output = shown.getBytes(StandardCharsets.UTF_8);
    Path cast = dir.resolve("exported.cast");
    try (Recordings recordings = Recordings.open(dir.resolve("recordings"), ticker::get)) {
      RecordingWriter writer = recordings.start("0198c2a4b1f0-k3m9x2qv7d", new RecordingHeader(100, 30,
          Instant.parse("2025-01-02T03:04:05Z"), Optional.of("xterm-256color"), "alice@demo-node as alice"));
      // Chunk boundaries that split characters, as SSH windows do.
      for (int offset = 0; offset < output.length; offset += 7) {
        ticker.addAndGet(40_000_000);
        writer.output(output, offset, Math.min(7, output.length - offset));
        if (offset == 14) {
          writer.input("q\r".getBytes(StandardCharsets.UTF_8), 0, 2);
          writer.resize(120, 40);
        }
      }
      writer.marker("session ended by an administrator");
      writer.close();
      try (InputStream in = recordings.openCast("0198c2a4b1f0-k3m9x2qv7d")) {
        Files.write(cast, in.readAllBytes());
      }
    }

    for (String player : List.of("asciinema cat", "asciinema play --idle-time-limit 0.01")) {
      Command.Result result = Command.run(
          List.of("script", "--quiet", "--return", "--command", player + " '" + cast + "'", "/dev/null"),
          Duration.ofSeconds(30));
      assertThat(result.exitCode()).as(result.describe()).isZero();
      assertThat(result.stdout()).as(player).isEqualTo(shown);
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null && java.util.Arrays.stream(path.split(":"))
        .anyMatch(entry -> !entry.isEmpty() && Files.isExecutable(Path.of(entry, program)));
  }
}
