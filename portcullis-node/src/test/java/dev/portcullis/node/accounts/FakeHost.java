package dev.portcullis.node.accounts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * An in-memory host that records every command the reconciler asks for, in order, so tests can check the
 * decisions (and that a refused name reaches no command) without root.
 */
final class FakeHost implements HostCommands {

  final Map<String, LocalAccount> accounts = new TreeMap<>();
  final Map<String, String> dropIns = new TreeMap<>();
  final Set<String> systemNames = new TreeSet<>(Set.of("root", "daemon", "postgres", "sshd"));
  final List<String> calls = new ArrayList<>();
  final Set<String> failCreate = new HashSet<>();
  final Set<String> failDelete = new HashSet<>();
  /** Runs before useradd, to look at the state file at that moment. */
  Consumer<String> beforeCreate = login -> {};
  /** Runs on every lookup, to change the world between the reconciler's reads and its writes. */
  Consumer<String> onLookup = login -> {};
  private long nextUid = 1000;

  LocalAccount addExisting(String login, long uid, String gecos) {
    LocalAccount account = new LocalAccount(login, uid, uid, gecos, "/home/" + login, "/bin/bash");
    accounts.put(login, account);
    return account;
  }

  @Override
  public Set<String> systemNames() {
    return Set.copyOf(systemNames);
  }

  @Override
  public Optional<LocalAccount> lookup(String login) {
    calls.add("lookup " + login);
    onLookup.accept(login);
    return Optional.ofNullable(accounts.get(login));
  }

  @Override
  public void createAccount(String login, String comment) throws IOException {
    calls.add("useradd " + login);
    beforeCreate.accept(login);
    if (failCreate.contains(login) || accounts.containsKey(login)) {
      throw new IOException("useradd: cannot create " + login);
    }
    long uid = nextUid++;
    accounts.put(login, new LocalAccount(login, uid, uid, comment, "/home/" + login, "/bin/bash"));
  }

  @Override
  public void deleteAccount(LocalAccount account) throws IOException {
    calls.add("userdel " + account.login());
    if (failDelete.contains(account.login())) {
      throw new IOException("userdel: user " + account.login() + " is currently used by process 42");
    }
    accounts.remove(account.login());
  }

  @Override
  public Map<String, String> sudoDropIns() {
    return Map.copyOf(dropIns);
  }

  @Override
  public void installSudoDropIn(String login, String content) throws IOException {
    calls.add("sudo+ " + login);
    // Stands in for visudo -c: only the one rule shape we write parses.
    if (!content.endsWith("\n" + login + " ALL=(ALL:ALL) NOPASSWD:ALL\n")) {
      throw new IOException("visudo -c rejected the drop-in for " + login);
    }
    dropIns.put(login, content);
  }

  @Override
  public void removeSudoDropIn(String login) {
    calls.add("sudo- " + login);
    dropIns.remove(login);
  }

  /** Every recorded command that mentions {@code text}. */
  List<String> callsMentioning(String text) {
    return calls.stream().filter(call -> call.contains(text)).toList();
  }
}
