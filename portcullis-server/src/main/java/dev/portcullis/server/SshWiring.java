package dev.portcullis.server;

import dev.portcullis.config.PortcullisConfig;
import dev.portcullis.http.api.SshServices;
import dev.portcullis.ssh.users.SshUsers;
import dev.portcullis.locks.Locks;
import dev.portcullis.nodes.NodeRegistry;
import dev.portcullis.ssh.ca.SshCaType;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import dev.portcullis.ssh.issuance.NodePrincipals;
import dev.portcullis.ssh.issuance.SshCertificateIssuer;
import dev.portcullis.store.Store;
import dev.portcullis.tokens.JoinTokens;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;

/** Builds the SSH side of a server: certificate authorities in the data directory, and the store-backed records. */
public final class SshWiring {
  private SshWiring() {}

  /** Where the certificate authorities keep their keys. */
  public static Path caDirectory(PortcullisConfig config) {
    return config.server().dataDir().resolve("ca");
  }

  public static SshServices open(PortcullisConfig config, Store store, Locks locks, InstantSource clock,
      SecureRandom random) throws IOException {
    Path dir = caDirectory(config);
    SshCertificateAuthority userCa = SshCertificateAuthority.open(SshCaType.USER, dir, clock, random);
    SshCertificateAuthority hostCa = SshCertificateAuthority.open(SshCaType.HOST, dir, clock, random);
    dev.portcullis.ssh.issuance.Locks userLocks = identity -> locks.userLock(identity.username())
        .map(lock -> "locked" + (lock.lockedBy().isEmpty() ? "" : " by " + lock.lockedBy())
            + (lock.reason().isEmpty() ? "" : ": " + lock.reason()));
    return new SshServices(userCa, hostCa, new SshCertificateIssuer(userCa, userLocks), new NodePrincipals(userLocks),
        new NodeRegistry(store, clock), new JoinTokens(store, clock, random), locks, new SshUsers(store));
  }

  static String describe(SshServices ssh) {
    return "SSH user CA " + ssh.userCa().activeKey().fingerprint() + ", host CA " + ssh.hostCa().activeKey().fingerprint();
  }
}
