package dev.portcullis.node.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileChangesTest {

  @TempDir Path dir;

  @Test
  void restorePutsBackContentAndModeAndRemovesWhatWasNotThere() throws IOException {
    Path existing = Files.writeString(dir.resolve("ca.pub"), "old\n");
    Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r-----"));
    Path created = dir.resolve("new/cert.pub");
    int uid = (Integer) Files.getAttribute(dir, "unix:uid");
    int gid = (Integer) Files.getAttribute(dir, "unix:gid");
    FileChanges changes = new FileChanges();

    changes.directory(dir.resolve("new"), "rwxr-x---", uid, gid);
    assertThat(changes.write(existing, bytes("new\n"), "rw-r--r--", uid, gid)).isTrue();
    assertThat(changes.write(created, bytes("cert\n"), "rw-r--r--", uid, gid)).isTrue();
    assertThat(existing).hasContent("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rw-r--r--");
    assertThat(changes.written()).containsExactly(existing, created);

    changes.restore();

    assertThat(existing).hasContent("old");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rw-r-----");
    assertThat(created).doesNotExist();
    assertThat(dir.resolve("new")).doesNotExist();
    try (var left = Files.list(dir)) {
      assertThat(left).containsExactly(existing); // no temporary files either
    }
  }

  @Test
  void leavesAFileThatAlreadyHoldsTheContentAlone() throws IOException {
    Path file = Files.writeString(dir.resolve("ca.pub"), "same\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    int uid = (Integer) Files.getAttribute(dir, "unix:uid");
    int gid = (Integer) Files.getAttribute(dir, "unix:gid");
    FileChanges changes = new FileChanges();

    assertThat(changes.write(file, bytes("same\n"), "rw-r--r--", uid, gid)).isFalse();
    assertThat(changes.changed()).isFalse();
  }

  @Test
  void neverWritesThroughASymbolicLink() throws IOException {
    Path target = Files.writeString(dir.resolve("target"), "keep\n");
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);

    assertThatThrownBy(() -> new FileChanges().write(link, bytes("x"), "rw-r--r--",
        0, 0)).isInstanceOf(IOException.class).hasMessageContaining("not a regular file");
    assertThat(target).hasContent("keep");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
