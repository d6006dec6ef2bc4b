package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditQuery;
import dev.portcullis.audit.StoredAuditEvent;
import dev.portcullis.bastion.recording.RecordingHeader;
import dev.portcullis.bastion.recording.RecordingWriter;
import dev.portcullis.bastion.recording.Recordings;
import dev.portcullis.bastion.sessions.SshSessionRecord;
import dev.portcullis.bastion.sessions.SshSessions;
import dev.portcullis.server.cli.Main;
import dev.portcullis.store.jdbc.Storage;
import dev.portcullis.store.jdbc.StorageSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code portcullis sessions ls|kill|export} and {@code play}, in-process, on a data directory the bastion wrote. */
class SessionsCliTest {
  @TempDir Path dir;
  Path dataDir;
  String config;
  Storage storage;
  SshSessions sessions;
  final Clock clock = Clock.systemUTC();
  final SecureRandom random = new SecureRandom();

  record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void setUp() throws IOException {
    dataDir = dir.resolve("data");
    Path file = dir.resolve("portcullis.yaml");
    Files.writeString(file, """
        server:
          listen: 127.0.0.1:8443
          public_url: https://portcullis.localhost:8443
          data_dir: %s
        identity_providers:
          - name: local
            type: local
            users: []
        """.formatted(dataDir));
    config = file.toString();
    storage = Storage.open(new StorageSettings.Sqlite(dataDir, clock));
    sessions = new SshSessions(storage.store(), clock);
  }

  @AfterEach
  void tearDown() {
    storage.close();
  }

  @Test
  void lsListsLiveAndPastSessionsNewestFirstWithTheirDurations() {
    Instant now = clock.instant();
    String past = SshSessions.newId(() -> now.minusSeconds(3_600), random);
    sessions.start(session(past, "bob", "db-1", "postgres", now.minusSeconds(3_600), false));
    sessions.end(past, now.minusSeconds(3_600 - 125), "client disconnected: \u001b]0;pwned\u0007");
    String live = SshSessions.newId(() -> now.minusSeconds(192), random);
    sessions.start(session(live, "alice", "demo-node", "root", now.minusSeconds(192), true));

    Run all = run("sessions", "ls", "-c", config);
    assertThat(all.exitCode()).as(all.err()).isZero();
    List<String> lines = all.out().lines().toList();
    assertThat(lines.getFirst()).containsSubsequence("ID", "USER", "NODE", "LOGIN", "STARTED (UTC)", "DURATION",
        "END REASON", "RECORDED");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).startsWith(live).containsSubsequence("alice", "demo-node", "root", "yes")
        .containsPattern("live 3m1[2-9]s");
    assertThat(lines.get(2)).startsWith(past).containsSubsequence("bob", "db-1", "postgres", "2m05s",
        "client disconnected: ?]0;pwned?", "no");
    assertThat(all.out()).as("no escape sequence from stored text reaches the terminal").doesNotContain("\u001b");

    assertThat(run("sessions", "ls", "--live", "-c", config).out().lines().skip(1).toList())
        .singleElement().satisfies(line -> assertThat(line).startsWith(live));
    assertThat(run("sessions", "ls", "--limit", "1", "-c", config).out().lines().skip(1).toList())
        .singleElement().satisfies(line -> assertThat(line).startsWith(live));
    assertThat(run("sessions", "ls", "--limit", "0", "-c", config).err()).contains("--limit");
  }

  @Test
  void lsSaysSoWhenThereAreNoSessions() {
    assertThat(run("sessions", "ls", "-c", config).out()).isEqualTo("no sessions\n");
    assertThat(run("sessions", "ls", "--live", "-c", config).out()).isEqualTo("no live sessions\n");
  }

  @Test
  void killAsksTheBastionToEndALiveSessionAndAuditsWhoAsked() {
    String id = SshSessions.newId(clock, random);
    sessions.start(session(id, "alice", "demo-node", "root", clock.instant(), true));

    Run kill = run("sessions", "kill", id, "--reason", "laptop stolen", "-c", config);

    assertThat(kill.exitCode()).as(kill.err()).isZero();
    assertThat(kill.out()).contains(id).contains("within 5 seconds");
    assertThat(sessions.killRequests()).singleElement().satisfies(request -> {
      assertThat(request.sessionId()).isEqualTo(id);
      assertThat(request.reason()).isEqualTo("laptop stolen");
      assertThat(request.requestedBy()).isEqualTo(System.getProperty("user.name"));
    });
    List<AuditEvent> events = storage.audit().search(AuditQuery.all(100)).stream().map(StoredAuditEvent::event)
        .filter(event -> event.code() == AuditCode.SSH_SESSION_KILL_REQUESTED).toList();
    assertThat(events).singleElement().satisfies(event -> {
      assertThat(event.user()).isEqualTo("alice");
      assertThat(event.resource()).isEqualTo("node:demo-node");
      assertThat(event.reasons()).containsExactly("laptop stolen");
      assertThat(event.details()).containsEntry("session_id", id)
          .containsEntry("requested_by", System.getProperty("user.name"));
    });
  }

  @Test
  void killRefusesAnUnknownOrEndedSessionNamingIt() {
    String ended = SshSessions.newId(clock, random);
    sessions.start(session(ended, "alice", "demo-node", "root", clock.instant(), true));
    sessions.end(ended, clock.instant(), "exit");

    Run unknown = run("sessions", "kill", "0198c2a4b1f0-nosuchsess", "-c", config);
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("0198c2a4b1f0-nosuchsess");
    Run over = run("sessions", "kill", ended, "-c", config);
    assertThat(over.exitCode()).isEqualTo(1);
    assertThat(over.err()).contains(ended).contains("already ended");
    assertThat(sessions.killRequests()).isEmpty();
    assertThat(storage.audit().search(AuditQuery.all(100))).noneMatch(
        stored -> stored.event().code() == AuditCode.SSH_SESSION_KILL_REQUESTED);
  }

  @Test
  void playReplaysOnlyTheOutputAndItsSpeedAndIdleCapShortenTheWait() throws IOException {
    String id = recordedSession();

    for (List<String> options : List.of(List.of("--max-idle", "0.05"), List.of("--speed", "100"), List.of("-i", "1s", "-s", "20"))) {
      long began = System.nanoTime();
      Run play = run(concat(List.of("play", id, "-c", config), options));
      Duration took = Duration.ofNanos(System.nanoTime() - began);
      assertThat(play.exitCode()).as(play.err()).isZero();
      assertThat(play.out()).isEqualTo("$ héllo\r\nworld\r\n");
      assertThat(took).as("the recording pauses 20 s; " + options + " shortens that").isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void playRefusesWhatItCannotPlayWithAClearMessage() throws IOException {
    String notRecorded = SshSessions.newId(clock, random);
    sessions.start(session(notRecorded, "alice", "demo-node", "root", clock.instant(), false));
    String lost = SshSessions.newId(clock, random);
    sessions.start(session(lost, "alice", "demo-node", "root", clock.instant(), true));
    String id = recordedSession();

    assertThat(run("play", "0198c2a4b1f0-nosuchsess", "-c", config)).satisfies(run -> {
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).contains("no session 0198c2a4b1f0-nosuchsess");
    });
    assertThat(run("play", notRecorded, "-c", config).err()).contains(notRecorded + " was not recorded");
    assertThat(run("play", lost, "-c", config).err()).contains(lost + " was recorded, but");
    assertThat(run("play", "../../etc/passwd", "-c", config)).satisfies(run -> {
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).contains("not a session id");
    });
    assertThat(run("play", id, "--speed", "0", "-c", config)).satisfies(run -> {
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("--speed: 0.0");
    });
    assertThat(run("play", id, "--max-idle", "soon", "-c", config).err()).contains("--max-idle");
    assertThat(run("play", id, "--max-idle", "0", "-c", config).err()).contains("--max-idle");
  }

  @Test
  void exportWritesThePlainCastPrivatelyOrToStandardOutput() throws IOException {
    String id = recordedSession();
    String cast;
    try (InputStream in = Recordings.openCast(Recordings.directoryIn(dataDir), id)) {
      cast = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(cast).startsWith("{\"version\":2,");

    Path file = dir.resolve("out").resolve("session.cast");
    Files.createDirectories(file.getParent());
    Run export = run("sessions", "export", id, "-o", file.toString(), "-c", config);
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(Files.readString(file)).isEqualTo(cast);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    try (var left = Files.list(file.getParent())) {
      assertThat(left).containsExactly(file);
    }

    assertThat(run("sessions", "export", id, "-c", config).out()).isEqualTo(cast);
    assertThat(run("sessions", "export", "0198c2a4b1f0-nosuchsess", "-c", config).exitCode()).isEqualTo(1);
  }

  /** A recorded session as the bastion leaves it: "$ héllo", a 20 s pause, "world", with keystrokes and a resize. */
  private String recordedSession() throws IOException {
    String id = SshSessions.newId(clock, random);
    sessions.start(session(id, "alice", "demo-node", "root", clock.instant(), true));
    AtomicLong ticker = new AtomicLong();
    try (Recordings recordings = Recordings.open(Recordings.directoryIn(dataDir), ticker::get)) {
      RecordingWriter writer = recordings.start(id, new RecordingHeader(80, 24, clock.instant(),
          Optional.of("xterm"), "alice@demo-node as root"));
      byte[] prompt = "$ héllo\r\n".getBytes(StandardCharsets.UTF_8);
      ticker.addAndGet(100_000_000);
      writer.output(prompt, 0, 4);
      writer.output(prompt, 4, prompt.length - 4);
      ticker.addAndGet(20_000_000_000L);
      writer.input("ls\r".getBytes(StandardCharsets.UTF_8), 0, 3);
      writer.resize(100, 30);
      writer.output("world\r\n".getBytes(StandardCharsets.UTF_8), 0, 7);
      writer.close();
    }
    sessions.end(id, clock.instant(), "exit");
    return id;
  }

  private SshSessionRecord session(String id, String user, String node, String login, Instant started,
      boolean recorded) {
    return SshSessionRecord.ofLive(id, user, "local", node, login, "127.0.0.1:50000", SshSessionRecord.SHELL, started,
        recorded, "bastion-test");
  }

  private static String[] concat(List<String> first, List<String> second) {
    return java.util.stream.Stream.concat(first.stream(), second.stream()).toArray(String[]::new);
  }

  private static Run run(String... args) {
    CommandLine commandLine = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }
}
