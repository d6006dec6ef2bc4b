package dev.portcullis.ssh.ca;

import java.security.PublicKey;
import java.util.Objects;

/**
 * One public key of a certificate authority.
 *
 * @param generation    increases by one with each rotation; the highest is the active signer
 * @param fingerprint   OpenSSH's SHA-256 fingerprint, {@code SHA256:...}, as ssh-keygen -l and sshd's logs print it
 * @param publicKeyLine the key as an authorized_keys line, {@code ssh-ed25519 AAAA... comment}
 * @param publicKey     the key itself
 */
public record CaKey(int generation, String fingerprint, String publicKeyLine, PublicKey publicKey) {

  public CaKey {
    if (generation < 1) {
      throw new IllegalArgumentException("generation: " + generation + " (expected: >= 1)");
    }
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(publicKeyLine, "publicKeyLine");
    Objects.requireNonNull(publicKey, "publicKey");
  }
}
