package dev.portcullis.node.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.node.accounts.internal.ManagedAccountsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciler with the real {@link HostCommands#linux()} on this machine: real useradd, userdel, visudo
 * and sudo, on throwaway {@code pctest*} accounts that are removed afterwards even when a test fails. Needs
 * root and .ci/node-accounts.sh; skipped without them locally, failed in CI.
 */
class RealHostAccountsTest {

  @TempDir Path dir;
  private HostCommands host;
  private AccountReconciler reconciler;
  private Path stateFile;

  @BeforeAll
  static void requireRealHost() {
    RealHost.require();
  }

  @BeforeEach
  void setUp() {
    host = HostCommands.linux();
    stateFile = dir.resolve("node/managed-accounts.json");
    reconciler = AccountReconciler.create(host, stateFile);
  }

  @AfterEach
  void removeThrowawayAccounts() throws IOException {
    RealHost.cleanUp();
  }

  @AfterAll
  static void removeAnyLeftovers() throws IOException {
    RealHost.cleanUp();
  }

  @Test
  void createsAnAccountWithAPrivateHomeAndASudoGrantThatSudoHonours() throws IOException {
    String login = RealHost.throwawayLogin();

    ReconcileReport report = reconciler.reconcile(Set.of(new DesiredAccount(login, true)));

    assertThat(report.created()).containsExactly(login);
    assertThat(report.sudoGranted()).containsExactly(login);
    assertThat(report.complete()).isTrue();
    String[] entry = passwd(login).orElseThrow().split(":");
    assertThat(entry[4]).isEqualTo(AccountReconciler.MARKER);
    assertThat(entry[5]).isEqualTo("/home/" + login);
    assertThat(entry[6]).isEqualTo("/bin/bash");
    long uid = Long.parseLong(entry[2]);
    assertThat(uid).isBetween(1000L, 65533L);
    Path home = Path.of(entry[5]);
    assertThat(home).isDirectory();
    assertThat(Files.getAttribute(home, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo((int) uid);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");

    Path dropIn = RealHost.SUDOERS_DIR.resolve("portcullis-" + login);
    assertThat(dropIn).hasContent(AccountReconciler.sudoRule(login).strip());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dropIn))).isEqualTo("r--r-----");
    assertThat(Files.getOwner(dropIn).getName()).isEqualTo("root");
    assertThat(RealHost.run("/usr/sbin/visudo", "-c").exitCode()).isZero();
    RealHost.Run sudoList = RealHost.run("/usr/bin/sudo", "-l", "-U", login);
    assertThat(sudoList.stdout()).contains("User " + login + " may run", "(ALL : ALL) NOPASSWD: ALL");
    assertThat(new ManagedAccountsFile(stateFile).load()).containsExactly(login);

    assertThat(reconciler.reconcile(Set.of(new DesiredAccount(login, true))).changed()).isFalse();
  }

  @Test
  void revokingSudoRemovesTheDropInAndSudoNoLongerGrantsAnything() throws IOException {
    String login = RealHost.throwawayLogin();
    reconciler.reconcile(Set.of(new DesiredAccount(login, true)));

    ReconcileReport report = reconciler.reconcile(Set.of(new DesiredAccount(login, false)));

    assertThat(report.sudoRevoked()).containsExactly(login);
    assertThat(RealHost.SUDOERS_DIR.resolve("portcullis-" + login)).doesNotExist();
    assertThat(RealHost.run("/usr/bin/sudo", "-l", "-U", login).stdout()).contains("is not allowed to run sudo");
    assertThat(passwd(login)).isPresent();
  }

  @Test
  void removingTheAccountEndsItsProcessesAndDeletesTheUserHomeGroupAndDropIn() throws Exception {
    String login = RealHost.throwawayLogin();
    reconciler.reconcile(Set.of(new DesiredAccount(login, true)));
    String uid = passwd(login).orElseThrow().split(":")[2];
    Process session = new ProcessBuilder("/usr/sbin/runuser", "-u", login, "--", "/bin/sleep", "600")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      awaitProcessOf(uid);

      ReconcileReport report = reconciler.reconcile(Set.of());

      assertThat(report.removed()).containsExactly(login);
      assertThat(report.sudoRevoked()).containsExactly(login);
      assertThat(report.complete()).isTrue();
      assertThat(session.waitFor(10, TimeUnit.SECONDS)).as("the user's process was killed").isTrue();
      assertThat(passwd(login)).isEmpty();
      assertThat(RealHost.run("/usr/bin/getent", "group", login).exitCode()).isEqualTo(2);
      assertThat(Path.of("/home", login)).doesNotExist();
      assertThat(RealHost.SUDOERS_DIR.resolve("portcullis-" + login)).doesNotExist();
      assertThat(new ManagedAccountsFile(stateFile).load()).isEmpty();
    } finally {
      session.destroyForcibly();
    }
  }

  @Test
  void neverTouchesAnAccountThatExistedBefore() throws IOException {
    String login = RealHost.throwawayLogin();
    assertThat(RealHost.run("/usr/sbin/useradd", "--create-home", "--comment", "Someone Else", login).exitCode())
        .isZero();
    String before = passwd(login).orElseThrow();

    ReconcileReport unwanted = reconciler.reconcile(Set.of());
    ReconcileReport wanted = reconciler.reconcile(Set.of(new DesiredAccount(login, true)));
    // Even a state file that claims it (stale or tampered) cannot get it deleted: it lacks the marker.
    new ManagedAccountsFile(stateFile).save(Set.of(login));
    ReconcileReport claimed = reconciler.reconcile(Set.of());

    assertThat(unwanted.changed()).isFalse();
    assertThat(wanted.changed()).isFalse();
    assertThat(wanted.refused()).containsOnlyKeys(login);
    assertThat(claimed.changed()).isFalse();
    assertThat(claimed.refused()).containsOnlyKeys(login);
    assertThat(passwd(login)).hasValue(before);
    assertThat(Path.of("/home", login)).isDirectory();
    assertThat(RealHost.SUDOERS_DIR.resolve("portcullis-" + login)).doesNotExist();
  }

  @Test
  void anInvalidSudoersDropInNeverLandsAndLeavesNoTemporaryFile() throws IOException {
    String login = RealHost.throwawayLogin();
    Path dropIn = RealHost.SUDOERS_DIR.resolve("portcullis-" + login);
    Set<Path> before = listSudoersDir();

    assertThatThrownBy(() -> host.installSudoDropIn(login, login + " ALL=(ALL) NOPASSWD ALL garbage(\n"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("visudo")
        .hasMessageContaining("syntax error");
    assertThat(dropIn).doesNotExist();
    assertThat(listSudoersDir()).isEqualTo(before);

    // A valid drop-in stays as it was when an invalid replacement is refused.
    host.installSudoDropIn(login, AccountReconciler.sudoRule(login));
    assertThatThrownBy(() -> host.installSudoDropIn(login, "Defaults !!!\n")).isInstanceOf(IOException.class);
    assertThat(dropIn).hasContent(AccountReconciler.sudoRule(login).strip());
    assertThat(RealHost.run("/usr/sbin/visudo", "-c").exitCode()).isZero();
  }

  @Test
  void aReconcileWhoseDropInFailsValidationReportsItAndGrantsNothing() throws IOException {
    String login = RealHost.throwawayLogin();
    AccountReconciler corrupted = AccountReconciler.create(new CorruptingHost(host), stateFile);

    ReconcileReport report = corrupted.reconcile(Set.of(new DesiredAccount(login, true)));

    assertThat(report.created()).containsExactly(login);
    assertThat(report.sudoGranted()).isEmpty();
    assertThat(report.failed()).containsOnlyKeys(login);
    assertThat(report.failed().get(login)).contains("visudo");
    assertThat(RealHost.SUDOERS_DIR.resolve("portcullis-" + login)).doesNotExist();
    assertThat(RealHost.run("/usr/bin/sudo", "-l", "-U", login).stdout()).contains("is not allowed to run sudo");
  }

  @Test
  void hostileNamesChangeNothingOnTheRealHost() throws IOException {
    byte[] passwdBefore = Files.readAllBytes(Path.of("/etc/passwd"));
    Set<Path> sudoersBefore = listSudoersDir();

    ReconcileReport report = reconciler.reconcile(Set.of(new DesiredAccount("pctest;touch /tmp/pwned", true),
        new DesiredAccount("pctestx\nALL ALL=(ALL) NOPASSWD:ALL", true), new DesiredAccount("root", true),
        new DesiredAccount("-opctest", true), new DesiredAccount("../pctest", true)));

    assertThat(report.refused()).hasSize(5);
    assertThat(report.changed()).isFalse();
    assertThat(Files.readAllBytes(Path.of("/etc/passwd"))).isEqualTo(passwdBefore);
    assertThat(listSudoersDir()).isEqualTo(sudoersBefore);
  }

  private static Optional<String> passwd(String login) throws IOException {
    RealHost.Run getent = RealHost.run("/usr/bin/getent", "passwd", login);
    return getent.exitCode() == 0 ? Optional.of(getent.stdout().strip()) : Optional.empty();
  }

  private static Set<Path> listSudoersDir() throws IOException {
    try (Stream<Path> files = Files.list(RealHost.SUDOERS_DIR)) {
      return Set.copyOf(files.toList());
    }
  }

  private static void awaitProcessOf(String uid) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (RealHost.run("/usr/bin/pgrep", "-u", uid).exitCode() != 0) {
      assertThat(System.nanoTime()).as("a process of uid " + uid + " started").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** The real host, except that every drop-in it is asked to install is broken first. */
  private record CorruptingHost(HostCommands real) implements HostCommands {
    @Override public Set<String> systemNames() throws IOException {
      return real.systemNames();
    }

    @Override public Optional<LocalAccount> lookup(String login) throws IOException {
      return real.lookup(login);
    }

    @Override public void createAccount(String login, String comment) throws IOException {
      real.createAccount(login, comment);
    }

    @Override public void deleteAccount(LocalAccount account) throws IOException {
      real.deleteAccount(account);
    }

    @Override public Map<String, String> sudoDropIns() throws IOException {
      return real.sudoDropIns();
    }

    @Override public void installSudoDropIn(String login, String content) throws IOException {
      real.installSudoDropIn(login, content.replace("NOPASSWD:ALL", "NOPASSWD ALL ("));
    }

    @Override public void removeSudoDropIn(String login) throws IOException {
      real.removeSudoDropIn(login);
    }
  }
}
