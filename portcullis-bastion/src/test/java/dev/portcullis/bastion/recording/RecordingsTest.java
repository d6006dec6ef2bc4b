package dev.portcullis.bastion.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final RecordingHeader HEADER = new RecordingHeader(120, 40, Instant.parse("2025-03-04T05:06:07.890Z"),
      Optional.of("xterm-256color"), "alice@demo-node as alice");

  @TempDir Path data;
  final AtomicLong ticker = new AtomicLong(5_000_000_000L);
  Path dir;
  Recordings recordings;

  @BeforeEach
  void open() throws IOException {
    dir = data.resolve("recordings");
    recordings = Recordings.open(dir, ticker::get);
  }

  @AfterEach
  void close() {
    recordings.close();
  }

  @Test
  void writesTheHeaderAndEventsTimedByTheTickerAsAsciicastV2() throws IOException {
    RecordingWriter writer = recordings.start("s-1", HEADER);
    writer.output(bytes("$ "), 0, 2);
    ticker.addAndGet(1_500_000_000L);
    writer.input(bytes("ls\r"), 0, 3);
    ticker.addAndGet(1_234_567L);
    writer.output(bytes("xx ls\r\n"), 3, 4);
    ticker.addAndGet(2_000_000_000_999L);
    writer.resize(100, 30);
    writer.close();

    List<String> lines = readGz("s-1");
    JsonNode header = JSON.readTree(lines.getFirst());
    assertThat(header.get("version").asInt()).isEqualTo(2);
    assertThat(header.get("width").asInt()).isEqualTo(120);
    assertThat(header.get("height").asInt()).isEqualTo(40);
    assertThat(header.get("timestamp").asLong()).isEqualTo(Instant.parse("2025-03-04T05:06:07Z").getEpochSecond());
    assertThat(header.get("title").asText()).isEqualTo("alice@demo-node as alice");
    assertThat(header.get("env").get("TERM").asText()).isEqualTo("xterm-256color");
    assertThat(lines.subList(1, lines.size())).containsExactly(
        "[0.000000, \"o\", \"$ \"]",
        "[1.500000, \"i\", \"ls\\r\"]",
        "[1.501234, \"o\", \"ls\\r\\n\"]",
        "[2001.501235, \"r\", \"100x30\"]");
  }

  @Test
  void joinsUtf8CharactersSplitAcrossChunksOfEachStreamSeparately() throws IOException {
    RecordingWriter writer = recordings.start("s-2", HEADER);
    byte[] text = bytes("é€😀!");
    writer.output(text, 0, 1);
    writer.input(bytes("ü"), 0, 1);
    writer.output(text, 1, 2);
    writer.input(bytes("ü"), 1, 1);
    writer.output(text, 3, 3);
    writer.output(text, 6, 1);
    writer.output(text, 7, 3);
    writer.close();

    assertThat(events("s-2")).containsExactly(
        List.of("o", "é"), List.of("i", "ü"), List.of("o", "€"), List.of("o", "😀!"));
  }

  @Test
  void turnsBytesThatAreNotUtf8IntoReplacementCharactersAndAnUnfinishedLastCharacterToo() throws IOException {
    RecordingWriter writer = recordings.start("s-3", HEADER);
    writer.output(new byte[] {'a', (byte) 0xff, 'b', (byte) 0xc3}, 0, 4);
    writer.output(new byte[] {'c', (byte) 0xe2, (byte) 0x82}, 0, 3);
    writer.close();

    assertThat(events("s-3")).containsExactly(List.of("o", "a\uFFFDb"), List.of("o", "\uFFFDc"), List.of("o", "\uFFFD"));
  }

  @Test
  void escapesQuotesBackslashesAndControlCharactersSoEveryLineIsJson() throws IOException {
    String nasty = "\u001b[31m\"red\"\u001b[0m \\ back\ttab\bbs\u0000nul\u007f ]\n[1, \"o\", \"x\"]";
    RecordingWriter writer = recordings.start("s-4", HEADER);
    writer.output(bytes(nasty), 0, bytes(nasty).length);
    writer.marker("end: \"killed\"");
    writer.close();

    List<String> lines = readGz("s-4");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).contains("\\u001B[31m\\\"red\\\"").doesNotContain("\u001b").doesNotContain("\n");
    assertThat(events("s-4")).containsExactly(List.of("o", nasty), List.of("m", "end: \"killed\""));
  }

  @Test
  void ignoresResizesWithoutASizeAndEventsAfterClose() throws IOException {
    RecordingWriter writer = recordings.start("s-5", HEADER);
    writer.resize(0, 24);
    writer.resize(80, -1);
    writer.resize(81, 25);
    writer.close();
    writer.output(bytes("late"), 0, 4);
    writer.close();

    assertThat(events("s-5")).containsExactly(List.of("r", "81x25"));
  }

  @Test
  void closeLeavesOnlyAGzipFileThatOnlyThisUserCanRead() throws IOException {
    RecordingWriter writer = recordings.start("s-6", HEADER);
    assertThat(dir.resolve("s-6.cast.part")).exists();
    writer.output(bytes("hi"), 0, 2);
    writer.close();

    assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList()).containsExactly("s-6.cast.gz");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("s-6.cast.gz"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    assertThat(recordings.find("s-6")).contains(dir.resolve("s-6.cast.gz"));
  }

  @Test
  void aLiveRecordingReachesTheDiskWithoutBeingClosedAndCanBeReadWhileLive() throws Exception {
    RecordingWriter writer = recordings.start("s-7", HEADER);
    assertThat(recordings.find("s-7")).contains(dir.resolve("s-7.cast.part"));
    writer.output(bytes("first\r\n"), 0, 7);

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!Files.readString(dir.resolve("s-7.cast.part")).contains("first") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(Files.readString(dir.resolve("s-7.cast.part"))).as("on disk while live").contains("first");
    // A torn write at the end of the part is not handed to readers.
    Files.writeString(dir.resolve("s-7.cast.part"), "[9.0, \"o\", \"tor", java.nio.file.StandardOpenOption.APPEND);
    try (InputStream cast = recordings.openCast("s-7")) {
      String text = new String(cast.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(text.lines().toList()).hasSize(2);
      assertThat(text).endsWith("\"first\\r\\n\"]\n");
    }
    writer.close();
  }

  @Test
  void refusesASecondRecordingOfTheSameSession() throws IOException {
    recordings.start("s-8", HEADER).close();
    assertThatThrownBy(() -> recordings.start("s-8", HEADER)).isInstanceOf(FileAlreadyExistsException.class);
    RecordingWriter live = recordings.start("s-9", HEADER);
    assertThatThrownBy(() -> recordings.start("s-9", HEADER)).isInstanceOf(FileAlreadyExistsException.class);
    live.close();
  }

  @Test
  void neverBuildsAPathFromAnIdThatIsNotASessionId() {
    for (String bad : List.of("../escape", "a/b", "", "a b", "x".repeat(65), "é")) {
      assertThatThrownBy(() -> recordings.start(bad, HEADER)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("session id");
      assertThatThrownBy(() -> recordings.openCast(bad)).isInstanceOf(IllegalArgumentException.class);
      assertThat(recordings.find(bad)).isEmpty();
    }
    assertThat(recordings.find(null)).isEmpty();
  }

  @Test
  void anUnknownSessionHasNoRecording() {
    assertThat(recordings.find("nobody")).isEmpty();
    assertThatThrownBy(() -> recordings.openCast("nobody")).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void closingTheDirectorySealsRecordingsStillLive() throws IOException {
    RecordingWriter writer = recordings.start("s-10", HEADER);
    writer.output(bytes("bye"), 0, 3);
    recordings.close();

    assertThat(events("s-10")).containsExactly(List.of("o", "bye"));
    assertThatThrownBy(() -> recordings.start("s-11", HEADER)).isInstanceOf(IllegalStateException.class);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  List<String> readGz(String id) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve(id + ".cast.gz")))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  /** The events of a sealed recording as [code, data], without their times. */
  List<List<String>> events(String id) throws IOException {
    List<String> lines = readGz(id);
    return lines.subList(1, lines.size()).stream().map(line -> {
      try {
        JsonNode event = JSON.readTree(line);
        return List.of(event.get(1).asText(), event.get(2).asText());
      } catch (IOException e) {
        throw new AssertionError(line, e);
      }
    }).toList();
  }
}
