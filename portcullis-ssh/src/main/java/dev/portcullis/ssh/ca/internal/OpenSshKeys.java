package dev.portcullis.ssh.ca.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collection;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.loader.openssh.OpenSSHKeyPairResourceParser;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Ed25519 key pairs through MINA SSHD's key support (Bouncy Castle provides the curve; MINA 2.x does not use
 * the JDK's Ed25519), and their OpenSSH private key encoding.
 */
public final class OpenSshKeys {

  public static final String ED25519 = KeyPairProvider.SSH_ED25519;

  private OpenSshKeys() {}

  /** Fails with a message that names the fix when no Ed25519 provider is on the class path. */
  public static void requireEd25519() {
    if (!SecurityUtils.isEDDSACurveSupported()) {
      throw new IllegalStateException("Ed25519 is not available to MINA SSHD"
          + " (expected: org.bouncycastle:bcprov-jdk18on on the class path)");
    }
  }

  /** A new Ed25519 key pair whose 32-byte seed comes from {@code random}. */
  public static KeyPair generateEd25519(SecureRandom random) {
    requireEd25519();
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    try {
      PrivateKey privateKey = SecurityUtils.generateEDDSAPrivateKey(ED25519, seed);
      return new KeyPair(SecurityUtils.recoverEDDSAPublicKey(privateKey), privateKey);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not generate an Ed25519 key pair", e);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** The unencrypted OpenSSH private key format ("-----BEGIN OPENSSH PRIVATE KEY-----"), as ssh-keygen writes it. */
  public static byte[] encodePrivateKey(KeyPair keyPair, String comment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keyPair, comment, null, out);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not encode the " + KeyUtils.getKeyType(keyPair) + " private key", e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes one unencrypted OpenSSH private key and checks that its public half really belongs to the
   * private half, so a damaged file cannot make us publish a key we do not sign with.
   */
  public static KeyPair decodePrivateKey(Path source, byte[] content) throws IOException {
    Collection<KeyPair> pairs;
    try {
      pairs = OpenSSHKeyPairResourceParser.INSTANCE.loadKeyPairs(
          null, new PathResource(source), null, new ByteArrayInputStream(content));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IOException(source + ": not a readable unencrypted OpenSSH private key (" + e.getMessage() + ")", e);
    }
    if (pairs == null || pairs.size() != 1) {
      throw new IOException(source + ": " + (pairs == null ? 0 : pairs.size()) + " keys (expected: exactly one)");
    }
    KeyPair pair = pairs.iterator().next();
    String type = KeyUtils.getKeyType(pair);
    if (!ED25519.equals(type)) {
      throw new IOException(source + ": key type " + type + " (expected: " + ED25519 + ")");
    }
    PublicKey derived;
    try {
      derived = SecurityUtils.recoverEDDSAPublicKey(pair.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IOException(source + ": could not derive the public key", e);
    }
    if (!KeyUtils.compareKeys(derived, pair.getPublic())) {
      throw new IOException(source + ": the public key does not match the private key");
    }
    return pair;
  }
}
