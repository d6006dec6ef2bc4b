package dev.portcullis.node.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.node.accounts.internal.ManagedAccountsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconciler's decisions, against {@link FakeHost}. Real commands are in {@link RealHostAccountsTest}. */
class AccountReconcilerTest {

  private static final List<String> HOSTILE = List.of("root", "Root", "a b", "a;rm -rf /", "../x",
      "x\nALL ALL=(ALL) ALL", "a".repeat(33), "", "-x", "alice ALL=(ALL) NOPASSWD:ALL", "$(id)", "`id`");

  @TempDir Path dir;
  private FakeHost host;
  private Path stateFile;
  private AccountReconciler reconciler;

  @BeforeEach
  void setUp() {
    host = new FakeHost();
    stateFile = dir.resolve("node/managed-accounts.json");
    reconciler = AccountReconciler.create(host, stateFile);
  }

  private Set<String> state() throws IOException {
    return new ManagedAccountsFile(stateFile).load();
  }

  @Test
  void refusesHostileNamesBeforeAnyCommandRuns() throws IOException {
    Set<DesiredAccount> desired = new HashSet<>();
    HOSTILE.forEach(login -> desired.add(new DesiredAccount(login, true)));

    ReconcileReport report = reconciler.reconcile(desired);

    assertThat(report.refused()).containsOnlyKeys(HOSTILE);
    assertThat(host.calls).isEmpty();
    assertThat(report.changed()).isFalse();
    assertThat(state()).isEmpty();
  }

  @Test
  void refusesNamesOfThisHostsSystemAccountsAndGroups() throws IOException {
    host.systemNames.add("ceph");

    ReconcileReport report = reconciler.reconcile(Set.of(new DesiredAccount("ceph", false)));

    assertThat(report.refused()).containsOnlyKeys("ceph");
    assertThat(report.refused().get("ceph")).contains("system account or group");
    assertThat(host.calls).isEmpty();
  }

  @Test
  void createsAMissingAccountAfterRecordingItInTheStateFile() throws IOException {
    List<Set<String>> stateAtUseradd = new ArrayList<>();
    host.beforeCreate = login -> {
      try {
        stateAtUseradd.add(state());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };

    ReconcileReport report = reconciler.reconcile(Set.of(new DesiredAccount("alice", false)));

    assertThat(report.created()).containsExactly("alice");
    assertThat(report.sudoGranted()).isEmpty();
    assertThat(report.complete()).isTrue();
    assertThat(stateAtUseradd).containsExactly(Set.of("alice"));
    assertThat(host.accounts.get("alice").fullName()).isEqualTo(AccountReconciler.MARKER);
    assertThat(host.dropIns).isEmpty();
  }

  @Test
  void grantsSudoWithOneDropInHoldingOnlyTheLoginsRule() throws IOException {
    ReconcileReport report = reconciler.reconcile(Set.of(new DesiredAccount("alice", true)));

    assertThat(report.created()).containsExactly("alice");
    assertThat(report.sudoGranted()).containsExactly("alice");
    assertThat(host.dropIns).containsOnlyKeys("alice");
    assertThat(host.dropIns.get("alice").lines().filter(line -> !line.startsWith("#")))
        .containsExactly("alice ALL=(ALL:ALL) NOPASSWD:ALL");
  }

  @Test
  void changesNothingWhenTheHostAlreadyMatches() throws IOException {
    Set<DesiredAccount> desired = Set.of(new DesiredAccount("alice", true), new DesiredAccount("bob", false));
    reconciler.reconcile(desired);
    host.calls.clear();

    ReconcileReport again = reconciler.reconcile(desired);

    assertThat(again.changed()).isFalse();
    assertThat(again.complete()).isTrue();
    assertThat(host.calls).containsExactly("lookup alice", "lookup bob");
  }

  @Test
  void revokesSudoWhenNoRoleGrantsItAnyMore() throws IOException {
    reconciler.reconcile(Set.of(new DesiredAccount("alice", true)));

    ReconcileReport report = reconciler.reconcile(Set.of(new DesiredAccount("alice", false)));

    assertThat(report.sudoRevoked()).containsExactly("alice");
    assertThat(report.removed()).isEmpty();
    assertThat(host.dropIns).isEmpty();
    assertThat(host.accounts).containsKey("alice");
  }

  @Test
  void mergesEntriesForOneLoginGrantingSudoIfAnyDoes() throws IOException {
    ReconcileReport report = reconciler.reconcile(
        Set.of(new DesiredAccount("alice", false), new DesiredAccount("alice", true)));

    assertThat(report.created()).containsExactly("alice");
    assertThat(report.sudoGranted()).containsExactly("alice");
  }

  @Test
  void removesAnAccountNoLongerGrantedRevokingSudoBeforeDeletingIt() throws IOException {
    reconciler.reconcile(Set.of(new DesiredAccount("alice", true), new DesiredAccount("bob", false)));
    host.calls.clear();

    ReconcileReport report = reconciler.reconcile(Set.of(new DesiredAccount("bob", false)));

    assertThat(report.removed()).containsExactly("alice");
    assertThat(report.sudoRevoked()).containsExactly("alice");
    assertThat(host.calls).containsSubsequence("sudo- alice", "userdel alice");
    assertThat(host.accounts).containsOnlyKeys("bob");
    assertThat(host.dropIns).isEmpty();
    assertThat(state()).containsExactly("bob");
  }

  @Test
  void neverTouchesAnAccountItDidNotCreate() throws IOException {
    host.addExisting("ubuntu2", 1000, "Ubuntu");
    host.addExisting("carol", 1001, "Carol,,,");

    ReconcileReport unwanted = reconciler.reconcile(Set.of());
    ReconcileReport wanted = reconciler.reconcile(Set.of(new DesiredAccount("carol", true)));

    assertThat(unwanted.changed()).isFalse();
    assertThat(wanted.changed()).isFalse();
    assertThat(wanted.refused()).containsOnlyKeys("carol");
    assertThat(wanted.refused().get("carol")).contains("did not create", "sudo not granted");
    assertThat(host.calls).noneMatch(call -> call.startsWith("useradd") || call.startsWith("userdel")
        || call.startsWith("sudo+"));
    assertThat(host.accounts).containsKeys("ubuntu2", "carol");
    assertThat(state()).isEmpty();
  }

  @Test
  void doesNotAdoptAnAccountThatCarriesTheMarkerButIsNotInTheStateFile() throws IOException {
    host.addExisting("mallory", 1005, AccountReconciler.MARKER);

    ReconcileReport report = reconciler.reconcile(Set.of(new DesiredAccount("mallory", true)));

    assertThat(report.refused()).containsOnlyKeys("mallory");
    assertThat(host.dropIns).isEmpty();
    assertThat(state()).isEmpty();
  }

  @Test
  void refusesToDeleteAStateListedAccountThatDoesNotLookLikeOurs() throws IOException {
    // A tampered or stale state file must not turn into userdel of someone else's account.
    new ManagedAccountsFile(stateFile).save(Set.of("root", "admin2", "legacy"));
    host.addExisting("root", 0, "root");
    host.addExisting("admin2", 1000, "Admin Two");
    host.addExisting("legacy", 999, AccountReconciler.MARKER);

    ReconcileReport report = reconciler.reconcile(Set.of());

    assertThat(report.removed()).isEmpty();
    assertThat(report.refused()).containsOnlyKeys("root", "admin2", "legacy");
    assertThat(host.calls).noneMatch(call -> call.startsWith("userdel"));
    assertThat(host.accounts).containsKeys("root", "admin2", "legacy");
  }

  @Test
  void aManagedUserCannotEscapeDeletionByEditingTheOtherGecosFields() throws IOException {
    reconciler.reconcile(Set.of(new DesiredAccount("alice", false)));
    LocalAccount created = host.accounts.get("alice");
    host.addExisting("alice", created.uid(), AccountReconciler.MARKER + ",Room 42,555-1234,");

    ReconcileReport report = reconciler.reconcile(Set.of());

    assertThat(report.removed()).containsExactly("alice");
    assertThat(host.accounts).doesNotContainKey("alice");
  }

  @Test
  void removesOrphanAndForeignDropInsInItsNamespace() throws IOException {
    host.addExisting("carol", 1001, "Carol");
    host.dropIns.put("carol", "carol ALL=(ALL:ALL) NOPASSWD:ALL\n");
    host.dropIns.put("ghost", "ghost ALL=(ALL:ALL) NOPASSWD:ALL\n");

    ReconcileReport report = reconciler.reconcile(Set.of(new DesiredAccount("carol", true)));

    assertThat(report.sudoRevoked()).containsExactlyInAnyOrder("carol", "ghost");
    assertThat(host.dropIns).isEmpty();
    assertThat(host.accounts).containsKey("carol");
  }

  @Test
  void rewritesADropInWhoseContentWasChanged() throws IOException {
    reconciler.reconcile(Set.of(new DesiredAccount("alice", true)));
    host.dropIns.put("alice", "alice ALL=(ALL:ALL) NOPASSWD:ALL\nALL ALL=(ALL) NOPASSWD:ALL\n");

    ReconcileReport report = reconciler.reconcile(Set.of(new DesiredAccount("alice", true)));

    assertThat(report.sudoGranted()).containsExactly("alice");
    assertThat(host.dropIns.get("alice")).isEqualTo(AccountReconciler.sudoRule("alice"));
  }

  @Test
  void reportsAFailureAndCarriesOnWithTheOtherLogins() throws IOException {
    host.failCreate.add("bob");

    ReconcileReport report = reconciler.reconcile(
        Set.of(new DesiredAccount("alice", true), new DesiredAccount("bob", true), new DesiredAccount("carl", true)));

    assertThat(report.created()).containsExactly("alice", "carl");
    assertThat(report.sudoGranted()).containsExactly("alice", "carl");
    assertThat(report.failed()).containsOnlyKeys("bob");
    assertThat(report.failed().get("bob")).contains("useradd: cannot create bob");
    assertThat(host.dropIns).containsOnlyKeys("alice", "carl");
  }

  @Test
  void forgetsALoginWhoseCreationNeverFinished() throws IOException {
    host.failCreate.add("bob");
    reconciler.reconcile(Set.of(new DesiredAccount("bob", false)));
    assertThat(state()).containsExactly("bob");

    ReconcileReport report = reconciler.reconcile(Set.of());

    assertThat(report.changed()).isFalse();
    assertThat(state()).isEmpty();
    assertThat(host.calls).noneMatch(call -> call.startsWith("userdel"));
  }

  @Test
  void keepsAnAccountInTheStateFileUntilItsDeletionSucceeds() throws IOException {
    reconciler.reconcile(Set.of(new DesiredAccount("alice", true)));
    host.failDelete.add("alice");

    ReconcileReport failing = reconciler.reconcile(Set.of());

    assertThat(failing.failed()).containsOnlyKeys("alice");
    assertThat(failing.sudoRevoked()).containsExactly("alice");
    assertThat(state()).containsExactly("alice");

    host.failDelete.clear();
    assertThat(reconciler.reconcile(Set.of()).removed()).containsExactly("alice");
    assertThat(state()).isEmpty();
  }

  @Test
  void neverCreatesAnAccountWhenTheStateFileCannotBeWritten() throws IOException {
    // After the state is read, its directory turns into a plain file: recording the new login fails.
    host.onLookup = login -> {
      try {
        Files.createDirectories(stateFile.getParent().getParent());
        Files.deleteIfExists(stateFile.getParent());
        Files.writeString(stateFile.getParent(), "not a directory");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };

    ReconcileReport report = reconciler.reconcile(Set.of(new DesiredAccount("alice", false)));

    assertThat(report.failed()).containsOnlyKeys("alice");
    assertThat(report.created()).isEmpty();
    assertThat(host.calls).containsExactly("lookup alice");
  }

  @Test
  void changesNothingWhenTheStateFileIsCorrupt() throws IOException {
    reconciler.reconcile(Set.of(new DesiredAccount("alice", true)));
    Files.writeString(stateFile, "{\"version\":1,\"managedLogins\":[\"alice\"");
    host.calls.clear();

    assertThatThrownBy(() -> reconciler.reconcile(Set.of()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("unreadable");
    assertThat(host.calls).isEmpty();
    assertThat(host.accounts).containsKey("alice");
  }
}
