package dev.portcullis.server.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.audit.AuditQuery;
import dev.portcullis.bastion.sessions.SshSessionRecord;
import dev.portcullis.bastion.sessions.SshSessions;
import dev.portcullis.server.TestServer;
import dev.portcullis.server.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crash leaves behind, and what the next start makes of it: the unfinished recording of a session that
 * was live becomes a playable one, and the session is recorded as ended by the restart, in the store and in the
 * audit log.
 */
class BastionRestartTest {

  private static final String CONFIG = """
      server:
        listen: 127.0.0.1:{PORT}
        public_url: https://localhost:{PORT}
        data_dir: {DATA}
      ssh:
        bastion:
          listen: 127.0.0.1:{BASTION}
      identity_providers:
        - name: local
          type: local
          users: []
      """;

  @TempDir
  Path dir;

  @Test
  void aRestartSealsTheRecordingACrashLeftAndEndsItsSession() throws Exception {
    String config = CONFIG.replace("{BASTION}", Integer.toString(SshProcesses.freePort()));
    String id;
    try (TestServer first = TestServer.start(dir, config)) {
      String bastionId = Files.readString(first.dataDir.resolve("bastion-id")).strip();
      SshSessions sessions = new SshSessions(first.server().storage().store(), first.clock);
      Instant started = first.clock.instant();
      id = SshSessions.newId(first.clock, new SecureRandom());
      sessions.start(SshSessionRecord.ofLive(id, "alice", "local", "web-1", "alice", "127.0.0.1",
          SshSessionRecord.SHELL, started, true, bastionId));
      // What the recorder had made durable when the process died: header, two outputs, half of a third line.
      Files.writeString(first.dataDir.resolve("recordings").resolve(id + ".cast.part"), """
          {"version":2,"width":80,"height":24,"timestamp":%d,"title":"alice@web-1 as alice"}
          [0.25,"o","$ uptime\\r\\n"]
          [0.5,"o","up 3 days\\r\\n"]
          [0.75,"o","lost in the cr""".formatted(started.getEpochSecond()));
    }

    try (TestServer second = TestServer.start(dir, config)) {
      SshSessions sessions = new SshSessions(second.server().storage().store(), second.clock);
      SshSessionRecord ended = sessions.find(id).orElseThrow();
      assertThat(ended.live()).isFalse();
      assertThat(ended.endReason()).contains("bastion restarted");
      assertThat(second.dataDir.resolve("recordings").resolve(id + ".cast.gz")).exists();
      assertThat(second.dataDir.resolve("recordings").resolve(id + ".cast.part")).doesNotExist();
      assertThat(second.server().audit().store().search(new AuditQuery(Optional.empty(), Optional.empty(),
          Optional.empty(), Optional.of("session.end"), 10)))
          .anySatisfy(event -> assertThat(event.event().details()).containsEntry("session", id));

      StringWriter out = new StringWriter();
      var commandLine = Main.commandLine();
      commandLine.setOut(new PrintWriter(out, true));
      int exit = commandLine.execute("play", id, "--speed", "1000", "--config", second.configFile.toString());
      assertThat(exit).isZero();
      assertThat(out.toString()).isEqualTo("$ uptime\r\nup 3 days\r\n");
    }
  }
}
