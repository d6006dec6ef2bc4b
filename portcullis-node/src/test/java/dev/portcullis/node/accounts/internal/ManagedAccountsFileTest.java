package dev.portcullis.node.accounts.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManagedAccountsFileTest {

  @TempDir Path dir;

  @Test
  void isEmptyBeforeTheFirstSave() throws IOException {
    assertThat(new ManagedAccountsFile(dir.resolve("missing.json")).load()).isEmpty();
  }

  @Test
  void savesAndLoadsTheLoginsInARootOnlyFile() throws IOException {
    Path file = dir.resolve("var/lib/portcullis/node/managed-accounts.json");
    ManagedAccountsFile state = new ManagedAccountsFile(file);

    state.save(Set.of("bob", "alice"));

    assertThat(state.load()).containsExactly("alice", "bob");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);  // no temporary file left behind
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "not json", "[]", "{}", "{\"version\":2,\"managedLogins\":[]}", "{\"managedLogins\":[]}",
      "{\"version\":1,\"managedLogins\":\"alice\"}", "{\"version\":1,\"managedLogins\":[1]}",
      "{\"version\":1,\"managedLogins\":[\"a b\"]}", "{\"version\":1,\"managedLogins\":[\"../x\"]}",
      "{\"version\":1,\"managedLogins\":[],\"extra\":true}", "{\"version\":1,\"managedLogins\":[\"alice\""})
  void refusesAFileItCannotTrustInsteadOfTreatingItAsEmpty(String content) throws IOException {
    Path file = dir.resolve("managed-accounts.json");
    Files.writeString(file, content);

    assertThatThrownBy(() -> new ManagedAccountsFile(file).load())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("unreadable");
  }
}
