package dev.portcullis.bastion.recording.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live buffer on its own, with no background writer: what gets buffered, dropped and written when. */
class LiveCastTest {
  @TempDir Path dir;
  final AtomicLong ticker = new AtomicLong();

  @Test
  void dropsEventsOnceTooMuchIsPendingAndNotesHowManyInAMarkerWhenTheFileCatchesUp() throws IOException {
    Path file = dir.resolve("s.cast.part");
    LiveCast cast = new LiveCast("s", FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        ticker::get, 200, () -> {});
    byte[] fifty = "x".repeat(50).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 10; i++) {
      cast.output(fifty, 0, 50);
    }
    // Each line is 70 bytes: the third takes pending past 200, so the fourth to the tenth are dropped.
    assertThat(cast.droppedEvents()).isEqualTo(7);
    assertThat(cast.pendingBytes()).isEqualTo(3 * 70);
    assertThat(Files.size(file)).as("nothing written by the event methods themselves").isZero();

    cast.flush();
    assertThat(cast.pendingBytes()).isZero();
    cast.output("after".getBytes(StandardCharsets.UTF_8), 0, 5);
    cast.finish();

    assertThat(Files.readAllLines(file)).containsExactly(
        "[0.000000, \"o\", \"" + "x".repeat(50) + "\"]",
        "[0.000000, \"o\", \"" + "x".repeat(50) + "\"]",
        "[0.000000, \"o\", \"" + "x".repeat(50) + "\"]",
        "[0.000000, \"m\", \"portcullis: 7 events (350 bytes) were not recorded because the recording fell behind\"]",
        "[0.000000, \"o\", \"after\"]");
    assertThat(cast.droppedEvents()).isEqualTo(7);
  }

  @Test
  void notesDropsThatAreStillGoingOnWhenTheRecordingEnds() throws IOException {
    Path file = dir.resolve("s.cast.part");
    LiveCast cast = new LiveCast("s", FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        ticker::get, 10, () -> {});
    cast.output("first".getBytes(StandardCharsets.UTF_8), 0, 5);
    ticker.set(2_000_000_000L);
    cast.resize(100, 50);
    cast.finish();

    assertThat(Files.readAllLines(file)).containsExactly(
        "[0.000000, \"o\", \"first\"]",
        "[2.000000, \"m\", \"portcullis: 1 events (16 bytes) were not recorded because the recording fell behind\"]");
  }

  @Test
  void wakesTheBackgroundWriterOnlyWhenALotIsBuffered() throws IOException {
    AtomicInteger wakes = new AtomicInteger();
    LiveCast cast = new LiveCast("s", FileChannel.open(dir.resolve("s.cast.part"), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE), ticker::get, 8 << 20, wakes::incrementAndGet);
    byte[] chunk = new byte[32 * 1024];
    java.util.Arrays.fill(chunk, (byte) 'y');
    cast.output(chunk, 0, chunk.length);
    assertThat(wakes).hasValue(0);
    for (int i = 0; i < 8; i++) {
      cast.output(chunk, 0, chunk.length);
    }
    assertThat(wakes).hasValue(1);
    cast.finish();
  }

  @Test
  void timeNeverRunsBackwardsEvenIfTheTickerDoes() throws IOException {
    Path file = dir.resolve("s.cast.part");
    ticker.set(1_000);
    LiveCast cast = new LiveCast("s", FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        ticker::get, 1 << 20, () -> {});
    ticker.set(3_000_000);
    cast.marker("a");
    ticker.set(0);
    cast.marker("b");
    cast.finish();

    assertThat(Files.readAllLines(file)).containsExactly("[0.002999, \"m\", \"a\"]", "[0.002999, \"m\", \"b\"]");
  }
}
