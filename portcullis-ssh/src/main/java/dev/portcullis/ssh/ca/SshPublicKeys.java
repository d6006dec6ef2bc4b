package dev.portcullis.ssh.ca;

import dev.portcullis.ssh.ca.internal.OpenSshKeys;
import dev.portcullis.ssh.ca.internal.RequestChecks;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Objects;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/** Reads and writes OpenSSH public key lines ({@code ssh-ed25519 AAAA... comment}) and their fingerprints. */
public final class SshPublicKeys {

  private static final int MAX_LINE = 16 * 1024;

  private SshPublicKeys() {}

  /** A new Ed25519 key pair from {@code random}: for host and client keys that live only as long as the process. */
  public static KeyPair generateEd25519(SecureRandom random) {
    return OpenSshKeys.generateEd25519(random);
  }

  /**
   * Parses one plain public key line as found in {@code id_ed25519.pub} or authorized_keys, without
   * options. Certificates are refused: a certificate is never a key to certify.
   *
   * @throws IllegalArgumentException naming what was wrong with the line
   */
  public static PublicKey parse(String line) {
    Objects.requireNonNull(line, "line");
    String trimmed = line.strip();
    if (trimmed.isEmpty() || trimmed.length() > MAX_LINE || trimmed.contains("\n")) {
      throw new IllegalArgumentException("publicKey: " + describe(trimmed)
          + " (expected: one line 'ssh-ed25519 AAAA... [comment]')");
    }
    PublicKey key;
    String type = trimmed.split("\\s+", 2)[0];
    try {
      PublicKeyEntry entry = PublicKeyEntry.parsePublicKeyEntry(trimmed);
      key = entry.resolvePublicKey(null, null, null);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // The cause stays for the server log; the message, which callers may show, names no internals.
      throw new IllegalArgumentException("publicKey: unreadable " + describe(type)
          + " key (expected: 'ssh-ed25519 AAAA... [comment]')", e);
    }
    if (key == null || key instanceof OpenSshCertificate) {
      throw new IllegalArgumentException("publicKey: " + describe(type) + " (expected: a plain public key, not a certificate)");
    }
    if (!type.equals(KeyUtils.getKeyType(key))) {
      throw new IllegalArgumentException("publicKey: line says " + describe(type) + " but holds a "
          + KeyUtils.getKeyType(key) + " key (expected: matching types)");
    }
    return RequestChecks.subjectKey("publicKey", key);
  }

  /** The key as {@code type base64}, without a comment. Works for certificates too ({@code *-cert.pub} lines). */
  public static String toLine(PublicKey key) {
    return PublicKeyEntry.toString(Objects.requireNonNull(key, "key"));
  }

  /** The SHA-256 fingerprint as OpenSSH prints it: {@code SHA256:} and unpadded base64. */
  public static String fingerprint(PublicKey key) {
    return KeyUtils.getFingerPrint(Objects.requireNonNull(key, "key"));
  }

  private static String describe(String value) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
  }
}
