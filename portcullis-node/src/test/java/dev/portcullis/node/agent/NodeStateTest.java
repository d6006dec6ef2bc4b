package dev.portcullis.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStateTest {

  @TempDir Path dir;

  @Test
  void readsBackWhatItWritesWithThePathsJoinUsed() throws Exception {
    AgentPaths paths = AgentPaths.of(dir, Path.of("/srv/ssh/sshd_config"), Path.of("/srv/ssh/conf.d"),
        Path.of("/srv/ssh/host_key.pub"), Path.of("/srv/ssh/ca.pub"));
    NodeState state = new NodeState(URI.create("https://portcullis.example.com"), "web-1", "c".repeat(43),
        Map.of("env", "dev"), "10.0.0.5:22", Optional.of("sha256/" + "A".repeat(43) + "="), paths);
    Files.write(paths.nodeFile(), state.toJson());

    NodeState read = NodeState.read(dir);

    assertThat(read).isEqualTo(state);
    assertThat(read.paths().hostCertificate()).isEqualTo(Path.of("/srv/ssh/host_key-cert.pub"));
    assertThat(read.paths().sshdDropIn()).isEqualTo(Path.of("/srv/ssh/conf.d/50-portcullis.conf"));
  }

  @Test
  void neverShowsTheCredential() {
    NodeState state = new NodeState(URI.create("https://p.example.com"), "web-1", "secret-credential-123456",
        Map.of(), "10.0.0.5:22", Optional.empty(), AgentPaths.defaults());

    assertThat(state.toString()).doesNotContain("secret-credential-123456").contains("credential=redacted");
  }

  @Test
  void explainsAMissingOrDamagedFile() throws IOException {
    assertThatThrownBy(() -> NodeState.read(dir)).isInstanceOf(NodeAgentException.class)
        .hasMessageContaining("has not joined Portcullis yet");
    Files.writeString(dir.resolve("node.json"), "{\"version\": 1, \"proxy\": \"https://p.example.com\"}");
    assertThatThrownBy(() -> NodeState.read(dir)).isInstanceOf(NodeAgentException.class)
        .hasMessageContaining("is unreadable: files: missing").hasMessageContaining("join again");
  }
}
