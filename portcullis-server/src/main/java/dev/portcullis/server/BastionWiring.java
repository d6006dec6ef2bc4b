package dev.portcullis.server;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.bastion.Bastion;
import dev.portcullis.bastion.BastionServices;
import dev.portcullis.bastion.BastionSettings;
import dev.portcullis.bastion.SessionLedger;
import dev.portcullis.bastion.SessionRecorder;
import dev.portcullis.config.BastionConfig;
import dev.portcullis.config.ListenAddress;
import dev.portcullis.config.PortcullisConfig;
import dev.portcullis.http.api.SshServices;
import dev.portcullis.locks.LockedUsers;
import dev.portcullis.policy.PolicySnapshot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Starts the SSH bastion when the configuration has an {@code ssh.bastion} section. */
final class BastionWiring {
  private BastionWiring() {}

  static Optional<Bastion> start(PortcullisConfig config, SshServices ssh, Supplier<PolicySnapshot> policy,
      LockedUsers lockedUsers, AuditLog audit, SessionLedger ledger, SessionRecorder recorder, InstantSource clock,
      SecureRandom random) throws IOException {
    if (config.ssh().bastion().isEmpty()) {
      return Optional.empty();
    }
    BastionConfig bastion = config.ssh().bastion().get();
    BastionSettings settings = new BastionSettings(
        new InetSocketAddress(bastion.listen().host(), bastion.listen().port()), hostNames(config, bastion));
    return Optional.of(Bastion.start(settings, new BastionServices(ssh.userCa(), ssh.hostCa(), ssh.nodeLogins(),
        ssh.nodes(), policy, lockedUsers, audit, ledger, recorder, clock, random)));
  }

  /** The names clients may dial the bastion by: its public address, the sign-in host, a specific listen host. */
  static List<String> hostNames(PortcullisConfig config, BastionConfig bastion) {
    Set<String> names = new LinkedHashSet<>();
    names.add(ListenAddress.parse(bastion.publicAddress(config.server().publicHost())).host().toLowerCase(Locale.ROOT));
    names.add(config.server().publicHost().toLowerCase(Locale.ROOT));
    String listen = bastion.listen().host();
    if (!listen.equals("0.0.0.0") && !listen.equals("::")) {
      names.add(listen.toLowerCase(Locale.ROOT));
    }
    return List.copyOf(names);
  }
}
