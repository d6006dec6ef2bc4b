package dev.portcullis.ssh.issuance;

import static java.util.Objects.requireNonNull;

import dev.portcullis.identity.Identity;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * The KeyId of a user certificate: {@code username@provider}, which sshd writes into its logs and hands to
 * the node's principals command as {@code %i}. Bytes outside {@code A-Z a-z 0-9 . _ + -} (and {@code @}
 * in the user name) are percent-encoded in UTF-8, so the id is printable ASCII without spaces, a user name
 * cannot forge a log line, and {@link #parse} gives back exactly the names that went in.
 *
 * @param username the Portcullis user name
 * @param provider the identity provider's name
 */
public record SshKeyId(String username, String provider) {

  public SshKeyId {
    requireNonNull(username, "username");
    requireNonNull(provider, "provider");
    if (username.isEmpty() || provider.isEmpty()) {
      throw new IllegalArgumentException("keyId: username and provider must not be empty (expected: user@provider)");
    }
  }

  public static SshKeyId of(Identity identity) {
    return new SshKeyId(identity.username(), identity.provider());
  }

  /** The id as written into the certificate, for example {@code alice@corp} or {@code j%C3%B6rg@corp}. */
  public String encode() {
    return encode(username, true) + "@" + encode(provider, false);
  }

  /**
   * Reads an id written by {@link #encode}. The provider follows the last {@code @}, which it never contains.
   *
   * @throws IllegalArgumentException if {@code keyId} is not exactly what {@link #encode} writes
   */
  public static SshKeyId parse(String keyId) {
    requireNonNull(keyId, "keyId");
    int at = keyId.lastIndexOf('@');
    if (at <= 0 || at == keyId.length() - 1) {
      throw invalid(keyId);
    }
    SshKeyId parsed = new SshKeyId(decode(keyId.substring(0, at), keyId), decode(keyId.substring(at + 1), keyId));
    if (!parsed.encode().equals(keyId)) {
      // Only the canonical spelling is accepted: one user has one key id.
      throw invalid(keyId);
    }
    return parsed;
  }

  @Override
  public String toString() {
    return encode();
  }

  private static String encode(String text, boolean allowAt) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '+' || c == '-' || (allowAt && c == '@')) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static String decode(String text, String keyId) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()) {
          throw invalid(keyId);
        }
        int high = hex(text.charAt(i + 1));
        int low = hex(text.charAt(i + 2));
        if (high < 0 || low < 0) {
          throw invalid(keyId);
        }
        bytes.write(high << 4 | low);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        throw invalid(keyId);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw invalid(keyId);
    }
  }

  /** An upper-case hex digit's value, or -1: Character.digit would also take other scripts' digits. */
  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  private static IllegalArgumentException invalid(String keyId) {
    String shown = keyId.length() > 80 ? keyId.substring(0, 80) + "..." : keyId;
    return new IllegalArgumentException("keyId: \"" + shown.replaceAll("\\p{Cntrl}", "?")
        + "\" (expected: user@provider as Portcullis writes it, with %XX for other bytes)");
  }
}
