package dev.portcullis.bastion.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crash leaves part files; the next start seals them into playable recordings of what was captured. */
class RecoveryTest {
  static final String HEADER = "{\"version\":2,\"width\":80,\"height\":24,\"timestamp\":1700000000}\n";

  @TempDir Path dir;

  @Test
  void sealsAPartWhoseLastLineWasCutDroppingOnlyThatLine() throws IOException {
    Files.writeString(dir.resolve("crashed-1.cast.part"), HEADER
        + "[0.100000, \"o\", \"hello\\r\\n\"]\n"
        + "[0.200000, \"i\", \"x\"]\n"
        + "[0.300000, \"o\", \"cut in the mid");

    List<String> recovered;
    try (Recordings recordings = Recordings.open(dir, () -> 0)) {
      recovered = recordings.recover();
    }

    assertThat(recovered).containsExactly("crashed-1");
    assertThat(Files.exists(dir.resolve("crashed-1.cast.part"))).isFalse();
    assertThat(gunzip(dir.resolve("crashed-1.cast.gz"))).isEqualTo(HEADER
        + "[0.100000, \"o\", \"hello\\r\\n\"]\n"
        + "[0.200000, \"i\", \"x\"]\n");
  }

  @Test
  void stopsAtGarbageThatACrashLeftInsteadOfData() throws IOException {
    Files.writeString(dir.resolve("crashed-2.cast.part"), HEADER
        + "[0.100000, \"o\", \"kept\"]\n"
        + "\0\0\0\0\0\0\n"
        + "[0.300000, \"o\", \"after garbage\"]\n");

    try (Recordings recordings = Recordings.open(dir, () -> 0)) {
      assertThat(recordings.recover()).containsExactly("crashed-2");
    }

    assertThat(gunzip(dir.resolve("crashed-2.cast.gz"))).isEqualTo(HEADER + "[0.100000, \"o\", \"kept\"]\n");
  }

  @Test
  void givesAPartWithoutAWholeHeaderAMinimalOneSoItStillPlays() throws IOException {
    Files.writeString(dir.resolve("crashed-3.cast.part"), "{\"version\":2,\"wid");

    try (Recordings recordings = Recordings.open(dir, () -> 0)) {
      assertThat(recordings.recover()).containsExactly("crashed-3");
    }

    assertThat(gunzip(dir.resolve("crashed-3.cast.gz")))
        .isEqualTo("{\"version\":2,\"width\":80,\"height\":24,\"timestamp\":0}\n");
  }

  @Test
  void finishesASealThatCrashedAfterTheRenameAndDiscardsAHalfWrittenTemporaryFile() throws IOException {
    String sealed = HEADER + "[0.100000, \"o\", \"complete\"]\n";
    gzip(dir.resolve("crashed-4.cast.gz"), sealed);
    Files.writeString(dir.resolve("crashed-4.cast.part"), sealed);
    Files.writeString(dir.resolve("crashed-5.cast.part"), sealed);
    Files.write(dir.resolve("crashed-5.cast.gz.tmp"), new byte[] {31, -117, 8});

    try (Recordings recordings = Recordings.open(dir, () -> 0)) {
      assertThat(recordings.recover()).containsExactly("crashed-4", "crashed-5");
    }

    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("crashed-4.cast.gz", "crashed-5.cast.gz");
    }
    assertThat(gunzip(dir.resolve("crashed-4.cast.gz"))).isEqualTo(sealed);
    assertThat(gunzip(dir.resolve("crashed-5.cast.gz"))).isEqualTo(sealed);
  }

  @Test
  void recoversWhatARealWriterHadOnDiskWhenTheProcessDied() throws Exception {
    AtomicLong ticker = new AtomicLong();
    Path live = dir.resolve("live");
    Path afterCrash = dir.resolve("after-crash");
    Files.createDirectories(afterCrash);
    try (Recordings recordings = Recordings.open(live, ticker::get,
        new Recordings.Settings(Duration.ofMillis(50), 8 << 20))) {
      RecordingWriter writer = recordings.start("0198c2a4b1f0-k3m9x2qv7d", RecordingsTest.HEADER);
      writer.output("captured ✓\r\n".getBytes(StandardCharsets.UTF_8), 0, 14);
      ticker.addAndGet(250_000_000);
      writer.input("q".getBytes(StandardCharsets.UTF_8), 0, 1);
      Path part = live.resolve("0198c2a4b1f0-k3m9x2qv7d.cast.part");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!Files.readString(part).contains("\"q\"") && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      // The disk as a crash would leave it: everything fsynced so far, plus half of a write in flight.
      Files.copy(part, afterCrash.resolve(part.getFileName()));
      Files.writeString(afterCrash.resolve(part.getFileName()), "[0.3, \"o\", \"half", StandardOpenOption.APPEND);
      writer.close();
    }

    try (Recordings restarted = Recordings.open(afterCrash, () -> 0)) {
      assertThat(restarted.recover()).containsExactly("0198c2a4b1f0-k3m9x2qv7d");
      StringBuilder played = new StringBuilder();
      try (InputStream cast = restarted.openCast("0198c2a4b1f0-k3m9x2qv7d")) {
        var writer = new java.io.StringWriter();
        new AsciicastPlayer(d -> {}).play(cast, writer, AsciicastPlayer.Options.REAL_TIME);
        played.append(writer);
      }
      assertThat(played.toString()).isEqualTo("captured ✓\r\n");
    }
  }

  static String gunzip(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static void gzip(Path file, String text) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
