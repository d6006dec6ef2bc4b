package dev.portcullis.ssh.ca;

import dev.portcullis.ssh.ca.internal.CaKeyFiles;
import dev.portcullis.ssh.ca.internal.CertificateSigner;
import dev.portcullis.ssh.ca.internal.OpenSshKeys;
import dev.portcullis.ssh.ca.internal.RequestChecks;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenSSH certificate authority for one purpose ({@link SshCaType}): Ed25519 keys kept as OpenSSH
 * private key files in one directory, the newest signing and all of them trusted. {@link #rotate()} adds a
 * new signing key while the old ones stay published, until {@link #retire(String)} removes them. Thread-safe;
 * issuing takes no lock and does no I/O.
 */
public final class SshCertificateAuthority {

  private static final Logger log = LoggerFactory.getLogger(SshCertificateAuthority.class);

  /** A CA key with its private half; never leaves this class. */
  private record SigningKey(CaKey key, KeyPair pair) {}

  private final SshCaType type;
  private final CaKeyFiles files;
  private final InstantSource clock;
  private final SecureRandom random;
  private final CertificateSigner signer;
  private final Object changeLock = new Object();
  /** Newest first; element 0 signs. Replaced whole on rotate and retire. */
  private volatile List<SigningKey> keys;

  private SshCertificateAuthority(SshCaType type, CaKeyFiles files, InstantSource clock, SecureRandom random,
      List<SigningKey> keys) {
    this.type = type;
    this.files = files;
    this.clock = clock;
    this.random = random;
    this.signer = new CertificateSigner(random);
    this.keys = keys;
  }

  /**
   * Loads the CA's keys from {@code directory} ({@code ssh-user-ca-N.key} or {@code ssh-host-ca-N.key}),
   * creating the directory (0700) and a first key when there is none. Both CA types may share a directory.
   *
   * @param clock  the time certificates are issued at
   * @param random source of keys, serials and nonces
   * @throws IOException if a key file is unreadable, not Ed25519, or readable by others
   */
  public static SshCertificateAuthority open(SshCaType type, Path directory, InstantSource clock, SecureRandom random)
      throws IOException {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    OpenSshKeys.requireEd25519();
    CaKeyFiles files = new CaKeyFiles(directory, type.id() + "-ca");
    files.prepare();
    List<SigningKey> loaded = new ArrayList<>();
    for (CaKeyFiles.StoredKey stored : files.load()) {
      loaded.addFirst(new SigningKey(describe(type, stored.generation(), stored.keyPair()), stored.keyPair()));
    }
    SshCertificateAuthority ca = new SshCertificateAuthority(type, files, clock, random, List.copyOf(loaded));
    if (loaded.isEmpty()) {
      CaKey first = ca.rotate();
      log.info("Created the {} CA in {}: {}", type.id(), directory, first.fingerprint());
    }
    return ca;
  }

  public SshCaType type() {
    return type;
  }

  /** The key that signs new certificates: the newest generation. */
  public CaKey activeKey() {
    return keys.getFirst().key();
  }

  /** Every trusted key, newest (active) first. */
  public List<CaKey> keys() {
    return keys.stream().map(SigningKey::key).toList();
  }

  /**
   * The trusted keys as authorized_keys lines, newest first: the content of sshd's {@code TrustedUserCAKeys}
   * file for the user CA. During a rotation's overlap this lists the old keys too.
   */
  public List<String> trustedPublicKeys() {
    return keys.stream().map(k -> k.key().publicKeyLine()).toList();
  }

  /**
   * known_hosts lines that make OpenSSH clients trust hosts certified by this (host) CA, one per trusted key:
   * {@code @cert-authority *.example.com ssh-ed25519 AAAA...}.
   *
   * @param hostPatterns known_hosts host patterns, comma-separated, such as {@code *.example.com,10.0.0.*}
   */
  public List<String> knownHostsLines(String hostPatterns) {
    requireType(SshCaType.HOST, "knownHostsLines");
    String patterns = RequestChecks.hostPatterns(hostPatterns);
    return keys.stream().map(k -> "@cert-authority " + patterns + " " + k.key().publicKeyLine()).toList();
  }

  /**
   * Adds a new active key. The previous keys stay trusted, so certificates they signed keep working until
   * {@link #retire(String)}; publish {@link #trustedPublicKeys()} again after calling this.
   */
  public CaKey rotate() throws IOException {
    synchronized (changeLock) {
      List<SigningKey> current = keys;
      int generation = current.isEmpty() ? 1 : current.getFirst().key().generation() + 1;
      KeyPair pair = OpenSshKeys.generateEd25519(random);
      CaKey key = describe(type, generation, pair);
      files.write(generation, pair, comment(type, generation), key.publicKeyLine());
      List<SigningKey> next = new ArrayList<>(current);
      next.addFirst(new SigningKey(key, pair));
      keys = List.copyOf(next);
      log.info("{} CA now signs with generation {} ({}); {} key(s) trusted",
          type.id(), generation, key.fingerprint(), next.size());
      return key;
    }
  }

  /**
   * Stops trusting an older key and deletes its files. Certificates it signed stop working wherever the new
   * {@link #trustedPublicKeys()} are published.
   *
   * @param fingerprint the key's {@code SHA256:...} fingerprint
   * @throws IllegalArgumentException if no trusted key has that fingerprint
   * @throws IllegalStateException    if it is the active key (rotate first)
   */
  public void retire(String fingerprint) throws IOException {
    Objects.requireNonNull(fingerprint, "fingerprint");
    synchronized (changeLock) {
      List<SigningKey> current = keys;
      SigningKey target = current.stream().filter(k -> k.key().fingerprint().equals(fingerprint)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("fingerprint: " + fingerprint + " (expected: one of "
              + current.stream().map(k -> k.key().fingerprint()).toList() + ")"));
      if (target == current.getFirst()) {
        throw new IllegalStateException("fingerprint: " + fingerprint
            + " is the active signing key (expected: rotate() first, then retire the older key)");
      }
      files.delete(target.key().generation());
      keys = current.stream().filter(k -> k != target).toList();
      log.info("{} CA retired generation {} ({})", type.id(), target.key().generation(), fingerprint);
    }
  }

  /**
   * Signs a user certificate with the active key: the requested logins as principals, {@code permit-pty}
   * plus the requested extensions, valid from one minute before now until now + ttl.
   *
   * @throws IllegalStateException if this is the host CA
   */
  public IssuedCertificate issueUser(UserCertificateRequest request) {
    Objects.requireNonNull(request, "request");
    requireType(SshCaType.USER, "issueUser");
    Map<String, String> extensions = new TreeMap<>();
    extensions.put(UserExtension.PERMIT_PTY, "");
    request.extensions().forEach(e -> extensions.put(e.wireName(), ""));
    Map<String, String> criticalOptions = request.sourceAddresses().isEmpty()
        ? Map.of()
        : Map.of("source-address", String.join(",", request.sourceAddresses()));
    return sign(new CertificateSigner.Fields(OpenSshCertificate.Type.USER, request.publicKey(), request.keyId(),
        request.principals(), clock.instant(), request.ttl(), criticalOptions, extensions));
  }

  /**
   * Signs a host certificate with the active key for the requested host names.
   *
   * @throws IllegalStateException if this is the user CA
   */
  public IssuedCertificate issueHost(HostCertificateRequest request) {
    Objects.requireNonNull(request, "request");
    requireType(SshCaType.HOST, "issueHost");
    return sign(new CertificateSigner.Fields(OpenSshCertificate.Type.HOST, request.hostKey(), request.keyId(),
        request.principals(), clock.instant(), request.ttl(), Map.of(), Map.of()));
  }

  private IssuedCertificate sign(CertificateSigner.Fields fields) {
    SigningKey active = keys.getFirst();
    OpenSshCertificate certificate = signer.sign(fields, active.pair());
    return new IssuedCertificate(SshPublicKeys.toLine(certificate), certificate, active.key().fingerprint());
  }

  private void requireType(SshCaType expected, String operation) {
    if (type != expected) {
      throw new IllegalStateException(operation + ": this is the " + type.id() + " CA (expected: the "
          + expected.id() + " CA)");
    }
  }

  private static CaKey describe(SshCaType type, int generation, KeyPair pair) {
    String line = SshPublicKeys.toLine(pair.getPublic()) + " " + comment(type, generation);
    return new CaKey(generation, SshPublicKeys.fingerprint(pair.getPublic()), line, pair.getPublic());
  }

  /** Names the key in files and in sshd's TrustedUserCAKeys, e.g. {@code portcullis-ssh-user-ca-2}. */
  private static String comment(SshCaType type, int generation) {
    return "portcullis-" + type.id() + "-ca-" + generation;
  }
}
