package dev.portcullis.node.accounts;

import dev.portcullis.node.accounts.internal.ManagedAccountsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this host's local accounts and sudo rules match what Portcullis roles grant on it, the way Okta
 * ASA's agent does: it creates missing accounts, writes one validated sudoers drop-in per login granted sudo,
 * and removes drop-ins and accounts no longer granted. It only ever touches accounts it created. The node
 * agent calls {@link #reconcile} from its loop, as root: useradd, userdel and the sudoers directory need it.
 *
 * <p>An account is the agent's only when both hold: its login is in the state file, which is written before
 * useradd runs, and its full name is {@link #MARKER} with a regular uid (1000 to 65533). An account that
 * exists but fails either test is never modified or deleted and never granted sudo; the report says why.
 * Every file named {@code portcullis-LOGIN} in the sudoers directory is the agent's, and is removed unless a
 * managed account is granted sudo.
 */
public final class AccountReconciler {

  private static final Logger log = LoggerFactory.getLogger(AccountReconciler.class);

  /** The full name (GECOS) of every account the agent creates. */
  public static final String MARKER = "portcullis-managed";

  /** Where the agent records the logins it created, unless told otherwise. */
  public static final Path DEFAULT_STATE_FILE = Path.of("/var/lib/portcullis/node/managed-accounts.json");

  private static final long FIRST_REGULAR_UID = 1000;
  private static final long NOBODY_UID = 65534;

  private final HostCommands host;
  private final ManagedAccountsFile state;

  private AccountReconciler(HostCommands host, ManagedAccountsFile state) {
    this.host = host;
    this.state = state;
  }

  /** The real host ({@link HostCommands#linux()}) with the state in {@link #DEFAULT_STATE_FILE}. */
  public static AccountReconciler forThisHost() {
    return create(HostCommands.linux(), DEFAULT_STATE_FILE);
  }

  /**
   * @param stateFile where the managed logins are recorded; its directory is created (0700) on first use
   */
  public static AccountReconciler create(HostCommands host, Path stateFile) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(stateFile, "stateFile");
    return new AccountReconciler(host, new ManagedAccountsFile(stateFile));
  }

  /**
   * The drop-in that grants {@code login} every command as any user, without a password. The login must be
   * valid: after {@link LoginNames#problem(String)} it holds nothing sudoers would parse as syntax.
   */
  static String sudoRule(String login) {
    return "# Written by the Portcullis node agent because a role grants " + login + " sudo on this node.\n"
        + "# It is removed when no role does any more; edits are overwritten.\n"
        + login + " ALL=(ALL:ALL) NOPASSWD:ALL\n";
  }

  /**
   * Makes the host match {@code desired}: validates every login before any command, revokes sudo drop-ins
   * that are no longer granted, deletes managed accounts that are no longer wanted (ending their processes
   * first), then creates missing accounts and writes the drop-ins that are. Entries for the same login merge:
   * sudo if any of them grants it, as roles add up. A failure on one login is reported and the others go on.
   *
   * @return what changed, what was refused and what failed
   * @throws IOException if the state file or the host's account lists cannot be read; nothing changed then
   */
  public synchronized ReconcileReport reconcile(Set<DesiredAccount> desired) throws IOException {
    Objects.requireNonNull(desired, "desired");
    Pass pass = new Pass(state.load(), host.systemNames());
    SortedMap<String, Boolean> wanted = pass.validate(desired);
    Map<String, String> dropIns = new TreeMap<>(host.sudoDropIns());

    // Privileges go first, so a user losing access cannot use sudo while the rest happens.
    for (String login : List.copyOf(dropIns.keySet())) {
      if (!(Boolean.TRUE.equals(wanted.get(login)) && pass.managed.contains(login))) {
        pass.revokeSudo(login, dropIns);
      }
    }
    for (String login : List.copyOf(pass.managed)) {
      if (!wanted.containsKey(login)) {
        pass.remove(login, dropIns);
      }
    }
    wanted.forEach((login, sudo) -> pass.ensure(login, sudo, dropIns));
    return pass.report();
  }

  /** The mutable progress of one reconcile. */
  private final class Pass {
    private final SortedSet<String> managed;
    private final Set<String> systemNames;
    private final List<String> created = new ArrayList<>();
    private final List<String> removed = new ArrayList<>();
    private final List<String> sudoGranted = new ArrayList<>();
    private final List<String> sudoRevoked = new ArrayList<>();
    private final Map<String, String> refused = new LinkedHashMap<>();
    private final Map<String, String> failed = new LinkedHashMap<>();

    Pass(SortedSet<String> managed, Set<String> systemNames) {
      this.managed = managed;
      this.systemNames = systemNames;
    }

    SortedMap<String, Boolean> validate(Set<DesiredAccount> desired) {
      SortedMap<String, Boolean> wanted = new TreeMap<>();
      for (DesiredAccount account : desired) {
        String login = account.login();
        Optional<String> problem = LoginNames.problem(login);
        if (problem.isEmpty() && systemNames.contains(login)) {
          problem = Optional.of("login: " + login + " names a system account or group on this host"
              + " (expected: a personal login name)");
        }
        if (problem.isPresent()) {
          refuse(login, problem.get());
        } else {
          wanted.merge(login, account.sudo(), Boolean::logicalOr);
        }
      }
      return wanted;
    }

    void revokeSudo(String login, Map<String, String> dropIns) {
      try {
        host.removeSudoDropIn(login);
        dropIns.remove(login);
        sudoRevoked.add(login);
        log.info("Revoked sudo from {}", login);
      } catch (IOException | RuntimeException e) {
        fail(login, "revoking sudo", e);
      }
    }

    void remove(String login, Map<String, String> dropIns) {
      try {
        Optional<LocalAccount> account = host.lookup(login);
        if (account.isEmpty()) {
          // Gone already (or its creation never finished): nothing of ours is left to remove.
          managed.remove(login);
          state.save(managed);
          return;
        }
        if (!isOurs(account.get())) {
          refuse(login, notOurs(account.get()));
          return;
        }
        if (dropIns.containsKey(login)) {
          revokeSudo(login, dropIns);
        }
        host.deleteAccount(account.get());
        managed.remove(login);
        state.save(managed);
        removed.add(login);
        log.info("Removed account {} (uid {})", login, account.get().uid());
      } catch (IOException | RuntimeException e) {
        fail(login, "removing the account", e);
      }
    }

    void ensure(String login, boolean sudo, Map<String, String> dropIns) {
      try {
        Optional<LocalAccount> account = host.lookup(login);
        if (account.isEmpty()) {
          // Recorded before useradd runs: after a crash in between, the name is known and can be cleaned up.
          managed.add(login);
          state.save(managed);
          host.createAccount(login, MARKER);
          account = host.lookup(login);
          if (account.isEmpty() || !isOurs(account.get())) {
            throw new IOException("useradd succeeded but " + login + " does not look up as a managed account");
          }
          created.add(login);
          log.info("Created account {} (uid {})", login, account.get().uid());
        } else if (!managed.contains(login)) {
          refuse(login, "login: " + login + " is an existing account that Portcullis did not create"
              + " (expected: a new name); left untouched" + (sudo ? ", sudo not granted" : ""));
          revokeIfPresent(login, dropIns);
          return;
        } else if (!isOurs(account.get())) {
          refuse(login, notOurs(account.get()) + (sudo ? ", sudo not granted" : ""));
          revokeIfPresent(login, dropIns);
          return;
        }
        if (sudo && !sudoRule(login).equals(dropIns.get(login))) {
          host.installSudoDropIn(login, sudoRule(login));
          dropIns.put(login, sudoRule(login));
          sudoGranted.add(login);
          log.info("Granted sudo to {}", login);
        }
      } catch (IOException | RuntimeException e) {
        fail(login, "creating the account or granting sudo", e);
      }
    }

    private void revokeIfPresent(String login, Map<String, String> dropIns) {
      if (dropIns.containsKey(login)) {
        revokeSudo(login, dropIns);
      }
    }

    private boolean isOurs(LocalAccount account) {
      return account.uid() >= FIRST_REGULAR_UID && account.uid() < NOBODY_UID && MARKER.equals(account.fullName())
          && !LoginNames.isReserved(account.login()) && !systemNames.contains(account.login());
    }

    private String notOurs(LocalAccount account) {
      return "login: " + account.login() + " is listed as managed but its account (uid " + account.uid()
          + ", full name " + LoginNames.printable(account.fullName()) + ") is not one Portcullis created"
          + " (expected: uid 1000-65533 and full name " + MARKER + "); left untouched";
    }

    private void refuse(String login, String reason) {
      refused.merge(login, reason, (a, b) -> a.equals(b) ? a : a + "; " + b);
      log.warn("Refused {}: {}", LoginNames.printable(login), reason);
    }

    private void fail(String login, String action, Exception e) {
      String message = action + ": " + e.getMessage();
      failed.merge(login, message, (a, b) -> a + "; " + b);
      if (e instanceof IOException) {
        log.warn("Failed {} for {}: {}", action, login, e.getMessage());
      } else {
        log.warn("Failed {} for {}", action, login, e);  // a bug rather than the host refusing: keep the trace
      }
    }

    ReconcileReport report() {
      return new ReconcileReport(created, removed, sudoGranted, sudoRevoked, refused, failed);
    }
  }
}
