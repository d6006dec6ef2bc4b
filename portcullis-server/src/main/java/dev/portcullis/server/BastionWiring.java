package dev.portcullis.server;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.bastion.Bastion;
import dev.portcullis.bastion.BastionServices;
import dev.portcullis.bastion.BastionSettings;
import dev.portcullis.bastion.SessionLedger;
import dev.portcullis.bastion.recording.FileSessionRecorder;
import dev.portcullis.bastion.recording.Recordings;
import dev.portcullis.bastion.sessions.SshSessions;
import dev.portcullis.bastion.sessions.StoreSessionLedger;
import dev.portcullis.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.portcullis.config.BastionConfig;
import dev.portcullis.config.ListenAddress;
import dev.portcullis.config.PortcullisConfig;
import dev.portcullis.http.api.SshServices;
import dev.portcullis.locks.LockedUsers;
import dev.portcullis.policy.PolicySnapshot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/** Starts the SSH bastion when the configuration has an {@code ssh.bastion} section. */
public final class BastionWiring {
  private static final Logger log = LoggerFactory.getLogger(BastionWiring.class);

  private BastionWiring() {}

  /**
   * Starts the bastion with its records in the store and its recordings in {@code <data_dir>/recordings}; first
   * seals the recordings a crash left unfinished. The returned resources close in reverse order.
   */
  static List<AutoCloseable> start(PortcullisConfig config, Store store, SshServices ssh,
      Supplier<PolicySnapshot> policy, LockedUsers lockedUsers, AuditLog audit, InstantSource clock,
      SecureRandom random) throws IOException {
    if (config.ssh().bastion().isEmpty()) {
      return List.of();
    }
    BastionConfig bastion = config.ssh().bastion().get();
    Path dataDir = config.server().dataDir();
    Recordings recordings = Recordings.open(recordingsDirectory(config), System::nanoTime);
    try {
      List<String> recovered = recordings.recover();
      if (!recovered.isEmpty()) {
        log.warn("sealed {} recording(s) left unfinished by a crash: {}", recovered.size(), recovered);
      }
      SessionLedger ledger = new StoreSessionLedger(new SshSessions(store, clock), bastionId(dataDir, random), clock,
          random);
      BastionSettings settings = new BastionSettings(
          new InetSocketAddress(bastion.listen().host(), bastion.listen().port()), hostNames(config, bastion),
          BastionSettings.DEFAULT_WATCH_INTERVAL, bastion.reuseNodeConnections()
              ? BastionSettings.DEFAULT_NODE_CONNECTION_LINGER : Duration.ZERO);
      Bastion running = Bastion.start(settings, new BastionServices(ssh.userCa(), ssh.hostCa(), ssh.nodeLogins(),
          ssh.nodes(), policy, lockedUsers, audit, ledger, new FileSessionRecorder(recordings, clock), clock, random));
      return List.of(recordings, running);
    } catch (IOException | RuntimeException e) {
      recordings.close();
      throw e;
    }
  }

  /** Where recordings are kept: {@code <data_dir>/recordings}. */
  public static Path recordingsDirectory(PortcullisConfig config) {
    return config.server().dataDir().resolve("recordings");
  }

  /** This bastion's name in session records, kept in the data directory so a restart knows its own sessions. */
  private static String bastionId(Path dataDir, SecureRandom random) throws IOException {
    Path file = dataDir.resolve("bastion-id");
    if (Files.exists(file)) {
      String id = Files.readString(file).strip();
      if (id.matches("[a-z0-9]{8,64}")) {
        return id;
      }
    }
    String id = HexFormat.of().formatHex(randomBytes(random));
    Files.createDirectories(dataDir);
    Files.writeString(file, id + "\n");
    return id;
  }

  private static byte[] randomBytes(SecureRandom random) {
    byte[] bytes = new byte[8];
    random.nextBytes(bytes);
    return bytes;
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
