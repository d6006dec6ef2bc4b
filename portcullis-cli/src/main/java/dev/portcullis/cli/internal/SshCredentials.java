package dev.portcullis.cli.internal;

import dev.portcullis.cli.internal.SshKeys.CertificateInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * Obtains and keeps the user's SSH credentials: a fresh key pair, the certificate the server signs for it, and
 * the host CA for known_hosts. Everything the server sends is checked before it is written.
 */
public final class SshCredentials {

  /** What a login obtained, in memory until {@link #store}. */
  public record Issued(KeyPair keyPair, String publicKeyLine, ApiClient.Certificate response,
      CertificateInfo certificate, List<String> knownHosts) {
    public Issued {
      knownHosts = List.copyOf(knownHosts);
    }
  }

  private SshCredentials() {}

  /** Generates a key pair, has the server certify it, and fetches the host CA. */
  public static Issued obtain(ApiClient api, String token, String comment, SecureRandom random) {
    KeyPair keyPair = SshKeys.generate(random);
    String publicKeyLine = SshKeys.publicKeyLine(keyPair.getPublic());
    ApiClient.Certificate response = api.requestCertificate(token, publicKeyLine + " " + comment);
    CertificateInfo certificate;
    try {
      certificate = SshKeys.readCertificate(response.line());
    } catch (IllegalArgumentException e) {
      throw CliFailure.failure("the server's certificate is unusable: " + e.getMessage());
    }
    if (certificate.type() != OpenSshCertificate.Type.USER || !SshKeys.certifies(certificate, keyPair.getPublic())) {
      throw CliFailure.failure("the server's certificate is not a user certificate for the key this login made;"
          + " refusing to store it");
    }
    return new Issued(keyPair, publicKeyLine, response, certificate, knownHostsLines(api.ca().hostCaKnownHosts()));
  }

  /** Checks the server's {@code @cert-authority} lines, so nothing else can land in known_hosts. */
  public static List<String> knownHostsLines(List<String> lines) {
    if (lines.isEmpty()) {
      throw CliFailure.failure("the server publishes no SSH host CA (ssh_host_ca_known_hosts is empty), so ssh"
          + " could not verify any host");
    }
    for (String line : lines) {
      String[] fields = line.split(" ");
      boolean valid = line.length() <= 16 * 1024 && line.chars().noneMatch(c -> c < 0x20 || c == 0x7f)
          && fields.length >= 4 && fields[0].equals("@cert-authority") && !fields[1].isEmpty()
          && parses(fields[2] + " " + fields[3]);
      if (!valid) {
        throw CliFailure.failure("the server's host CA line is not \"@cert-authority PATTERNS KEY\": \""
            + line.replaceAll("\\p{Cntrl}", "?").substring(0, Math.min(line.length(), 60)) + "\"");
      }
    }
    return List.copyOf(lines);
  }

  /** Writes key (0600), public key, certificate and known_hosts, then the profile last: it marks a complete login. */
  public static void store(CliHome home, Issued issued, Profile profile) throws IOException {
    home.prepare();
    String comment = profile.user() + "@portcullis";
    home.write(home.privateKey(), SshKeys.privateKeyFile(issued.keyPair(), comment));
    home.writeLines(home.publicKey(), List.of(issued.publicKeyLine() + " " + comment));
    home.writeLines(home.certificate(), List.of(issued.response().line().strip()));
    home.writeLines(home.knownHosts(), issued.knownHosts());
    home.writeProfile(profile);
  }

  /** The stored certificate, or empty when there is none; a damaged one is a failure that says to log in again. */
  public static Optional<CertificateInfo> readStored(CliHome home) {
    String line;
    try {
      line = Files.readString(home.certificate(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw CliFailure.failure("cannot read " + home.certificate() + ": " + e.getMessage());
    }
    try {
      return Optional.of(SshKeys.readCertificate(line));
    } catch (IllegalArgumentException e) {
      throw CliFailure.failure(home.certificate() + ": " + e.getMessage() + " (run portcullis login again)");
    }
  }

  /** The stored certificate as {@code type base64}, for finding it in the agent. */
  public static Optional<String> storedCertificateLine(CliHome home) {
    try {
      return Optional.of(Files.readString(home.certificate(), StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean parses(String keyLine) {
    try {
      return PublicKeyEntry.parsePublicKeyEntry(keyLine).resolvePublicKey(null, null, null) != null;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
