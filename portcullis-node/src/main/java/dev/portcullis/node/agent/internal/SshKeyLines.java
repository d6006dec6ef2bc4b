package dev.portcullis.node.agent.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenSSH key and certificate lines as the agent handles them: the host's Ed25519 public key, the host
 * certificate the server returns (checked to certify that very key), and the user CA lines for
 * {@code TrustedUserCAKeys}. Lines with anything before the key type (authorized_keys options) are refused.
 */
public final class SshKeyLines {

  private static final String ED25519 = "ssh-ed25519";
  private static final String ED25519_CERT = "ssh-ed25519-cert-v01@openssh.com";
  private static final int HOST_CERTIFICATE = 2;
  private static final Pattern KEY_LINE = Pattern.compile(
      "(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|sk-ssh-ed25519@openssh\\.com"
          + "|sk-ecdsa-sha2-nistp256@openssh\\.com) ([A-Za-z0-9+/]{16,8192}={0,2})( [\\x20-\\x7e]{0,200})?");
  private static final Pattern CERT_LINE = Pattern.compile(
      Pattern.quote(ED25519_CERT) + " ([A-Za-z0-9+/]{16,16384}={0,2})( [\\x20-\\x7e]{0,200})?");
  private static final int MAX_CA_KEYS = 32;

  /** What the agent checks in a host certificate. */
  public record HostCertificate(String line, List<String> principals, Instant validBefore) {}

  private SshKeyLines() {}

  /** The host's Ed25519 public key as {@code ssh-ed25519 BASE64}, without its comment. */
  public static String readHostKey(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      throw new IOException("the host key " + file + " does not exist (expected: sshd's Ed25519 host public key;"
          + " ssh-keygen -A creates the host keys)");
    }
    Matcher matcher = KEY_LINE.matcher(text);
    if (!matcher.matches() || !matcher.group(1).equals(ED25519)) {
      throw new IOException("the host key " + file
          + " is not an Ed25519 public key line (expected: ssh-ed25519 AAAA...)");
    }
    byte[] blob = Base64.getDecoder().decode(matcher.group(2));
    SshReader reader = new SshReader(blob);
    if (!ED25519.equals(reader.string()) || reader.bytes().length != 32 || reader.hasMore()) {
      throw new IOException("the host key " + file + " holds a malformed Ed25519 key");
    }
    return ED25519 + " " + matcher.group(2);
  }

  /**
   * Checks that {@code line} is one Ed25519 host certificate for {@code hostKey} ({@code ssh-ed25519 BASE64}).
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static HostCertificate hostCertificate(String line, String hostKey) {
    Matcher matcher = line == null ? null : CERT_LINE.matcher(line.strip());
    if (matcher == null || !matcher.matches()) {
      throw new IllegalArgumentException("host_certificate: not one " + ED25519_CERT + " line");
    }
    byte[] keyBlob = Base64.getDecoder().decode(hostKey.substring(hostKey.indexOf(' ') + 1));
    byte[] hostPublicKey = new SshReader(keyBlob).skipString().bytes();
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(matcher.group(1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("host_certificate: not base64");
    }
    try {
      SshReader cert = new SshReader(blob);
      if (!ED25519_CERT.equals(cert.string())) {
        throw new IllegalArgumentException("host_certificate: its blob is not an " + ED25519_CERT);
      }
      cert.skipString(); // nonce
      if (!Arrays.equals(cert.bytes(), hostPublicKey)) {
        throw new IllegalArgumentException("host_certificate: it certifies another key than this host's " + hostKey);
      }
      cert.buffer.getLong(); // serial
      if (cert.buffer.getInt() != HOST_CERTIFICATE) {
        throw new IllegalArgumentException("host_certificate: it is a user certificate (expected: a host certificate)");
      }
      cert.skipString(); // key id
      List<String> principals = new ArrayList<>();
      SshReader names = new SshReader(cert.bytes());
      while (names.hasMore()) {
        principals.add(names.string());
      }
      cert.buffer.getLong(); // valid after
      long validBefore = cert.buffer.getLong();
      // OpenSSH's "forever" is the largest unsigned value, negative as a Java long.
      Instant until = validBefore < 0 || validBefore > Instant.MAX.getEpochSecond()
          ? Instant.MAX : Instant.ofEpochSecond(validBefore);
      return new HostCertificate(ED25519_CERT + " " + matcher.group(1), List.copyOf(principals), until);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("host_certificate: truncated or malformed");
    }
  }

  /** Checks the user CA lines for {@code TrustedUserCAKeys}: 1 to 32 plain public key lines. */
  public static List<String> userCaKeys(List<String> lines) {
    if (lines == null || lines.isEmpty() || lines.size() > MAX_CA_KEYS) {
      throw new IllegalArgumentException("ssh_user_ca: " + (lines == null ? "missing" : lines.size() + " keys")
          + " (expected: 1 to " + MAX_CA_KEYS + " public key lines)");
    }
    List<String> checked = new ArrayList<>();
    for (String line : lines) {
      if (line == null || !KEY_LINE.matcher(line.strip()).matches()) {
        throw new IllegalArgumentException("ssh_user_ca: '" + NodeSettings.printable(line)
            + "' (expected: a public key line such as ssh-ed25519 AAAA... comment)");
      }
      checked.add(line.strip());
    }
    return List.copyOf(checked);
  }

  /** The TrustedUserCAKeys file content for {@code lines}. */
  public static String userCaFile(List<String> lines) {
    return String.join("\n", lines) + "\n";
  }

  /** Reads SSH wire format: uint32-length-prefixed strings and big-endian integers. */
  private static final class SshReader {
    private final ByteBuffer buffer;

    SshReader(byte[] bytes) {
      this.buffer = ByteBuffer.wrap(bytes);
    }

    byte[] bytes() {
      int length = buffer.getInt();
      if (length < 0 || length > buffer.remaining()) {
        throw new BufferUnderflowException();
      }
      byte[] out = new byte[length];
      buffer.get(out);
      return out;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    SshReader skipString() {
      bytes();
      return this;
    }

    boolean hasMore() {
      return buffer.hasRemaining();
    }
  }
}
