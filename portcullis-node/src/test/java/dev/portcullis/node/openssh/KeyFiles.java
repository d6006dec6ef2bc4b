package dev.portcullis.node.openssh;

import dev.portcullis.ssh.ca.IssuedCertificate;
import dev.portcullis.ssh.ca.SshPublicKeys;
import dev.portcullis.ssh.ca.internal.OpenSshKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;

/**
 * An Ed25519 key pair on disk as OpenSSH keeps it: {@code name} (0600, OpenSSH tools refuse anything looser),
 * {@code name.pub}, and {@code name-cert.pub} once a certificate is written.
 */
public record KeyFiles(Path privateKey, KeyPair keyPair) {

  private static final SecureRandom RANDOM = new SecureRandom();

  public static KeyFiles create(Path directory, String name) {
    KeyPair pair = OpenSshKeys.generateEd25519(RANDOM);
    Path path = directory.resolve(name);
    try {
      Files.deleteIfExists(path);
      Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(path, OpenSshKeys.encodePrivateKey(pair, name));
      Files.writeString(path.resolveSibling(name + ".pub"), SshPublicKeys.toLine(pair.getPublic()) + " " + name + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new KeyFiles(path, pair);
  }

  public String publicKeyLine() {
    return SshPublicKeys.toLine(keyPair.getPublic());
  }

  /** Writes {@code certificate} as this key's {@code -cert.pub} file (replacing any earlier one) and returns its path. */
  public Path writeCertificate(IssuedCertificate certificate) {
    return writeCertificate("cert", certificate);
  }

  /** As {@link #writeCertificate(IssuedCertificate)}, under a tag, so one key can hold several certificates. */
  public Path writeCertificate(String tag, IssuedCertificate certificate) {
    Path path = privateKey.resolveSibling(privateKey.getFileName() + "-" + tag + ".pub");
    return writeLines(path, List.of(certificate.line()));
  }

  public static Path writeLines(Path path, List<String> lines) {
    try {
      Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
      Files.writeString(tmp, String.join("\n", lines) + "\n", StandardCharsets.US_ASCII);
      // Replace atomically: sshd may read the file for a connection at any moment.
      return Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
