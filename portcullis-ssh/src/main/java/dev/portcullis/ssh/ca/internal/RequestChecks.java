package dev.portcullis.ssh.ca.internal;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/**
 * Strict validation of everything that ends up inside a certificate. Whatever passes here is safe to
 * hand to sshd, to a shell (logins become account names) and to logs.
 */
public final class RequestChecks {

  /** A POSIX login as useradd's default NAME_REGEX allows it, minus uppercase and '$'. */
  public static final Pattern LOGIN = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
  private static final Pattern HOST_NAME = Pattern.compile(
      "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
  private static final Pattern IPV4 = Pattern.compile(
      "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]{2,45}");
  private static final Set<String> SUBJECT_KEY_TYPES = Set.of(
      KeyPairProvider.SSH_ED25519, KeyPairProvider.SSH_RSA, KeyPairProvider.ECDSA_SHA2_NISTP256,
      KeyPairProvider.ECDSA_SHA2_NISTP384, KeyPairProvider.ECDSA_SHA2_NISTP521);
  private static final int MIN_RSA_BITS = 2048;
  private static final int MAX_KEY_ID = 255;
  private static final int MAX_PRINCIPALS = 256;
  private static final int MAX_SOURCE_ADDRESSES = 64;

  private RequestChecks() {}

  /** A key OpenSSH can certify: Ed25519, ECDSA, or RSA of at least 2048 bits; never a certificate. */
  public static PublicKey subjectKey(String name, PublicKey key) {
    Objects.requireNonNull(key, name);
    if (key instanceof OpenSshCertificate) {
      throw new IllegalArgumentException(name + ": a certificate (expected: a plain public key)");
    }
    String type = KeyUtils.getKeyType(key);
    if (type == null || !SUBJECT_KEY_TYPES.contains(type)) {
      throw new IllegalArgumentException(name + ": key type " + type + " (expected: one of " + SUBJECT_KEY_TYPES + ")");
    }
    if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
      throw new IllegalArgumentException(name + ": RSA key of " + rsa.getModulus().bitLength()
          + " bits (expected: >= " + MIN_RSA_BITS + ")");
    }
    return key;
  }

  /** Printable ASCII, 1 to 255 characters: sshd writes the key id into its logs. */
  public static String keyId(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    if (keyId.isBlank() || keyId.length() > MAX_KEY_ID || !keyId.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("keyId: " + quote(keyId)
          + " (expected: 1 to " + MAX_KEY_ID + " printable ASCII characters, not all spaces)");
    }
    return keyId;
  }

  public static Duration ttl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: >= 1s)");
    }
    return ttl;
  }

  /** Logins for a user certificate: a non-empty list of distinct names matching {@link #LOGIN}. */
  public static List<String> logins(List<String> principals) {
    return distinct("principals", principals, 1, MAX_PRINCIPALS, p -> LOGIN.matcher(p).matches(),
        "a login matching " + LOGIN.pattern());
  }

  /** Names for a host certificate: lowercase DNS names or IP literals, as clients compare them. */
  public static List<String> hostNames(List<String> principals) {
    return distinct("principals", principals, 1, MAX_PRINCIPALS, RequestChecks::isHostNameOrAddress,
        "a lowercase host name or an IP address");
  }

  /**
   * Addresses for the {@code source-address} critical option: IPv4 or IPv6, optionally with a prefix
   * length whose host bits are zero (sshd rejects the whole certificate otherwise).
   */
  public static List<String> sourceAddresses(List<String> addresses) {
    return distinct("sourceAddresses", addresses, 0, MAX_SOURCE_ADDRESSES, RequestChecks::isCidr,
        "an IP address or CIDR with zero host bits, e.g. 10.0.0.0/8 or 2001:db8::/32");
  }

  /** A known_hosts host pattern list: no spaces, no '@' or '#' that would change the line's meaning. */
  public static String hostPatterns(String patterns) {
    Objects.requireNonNull(patterns, "hostPatterns");
    if (!patterns.matches("[A-Za-z0-9.*?!,:_\\[\\]-]{1,1024}")) {
      throw new IllegalArgumentException("hostPatterns: " + quote(patterns)
          + " (expected: comma-separated known_hosts patterns such as *.example.com)");
    }
    return patterns;
  }

  private static List<String> distinct(String name, List<String> values, int min, int max,
      Predicate<String> valid, String expected) {
    Objects.requireNonNull(values, name);
    List<String> copy = List.copyOf(values);
    if (copy.size() < min || copy.size() > max) {
      throw new IllegalArgumentException(name + ": " + copy.size() + " entries (expected: " + min + " to " + max + ")");
    }
    Set<String> seen = new HashSet<>();
    for (String value : copy) {
      if (!valid.test(value)) {
        throw new IllegalArgumentException(name + ": " + quote(value) + " (expected: " + expected + ")");
      }
      if (!seen.add(value)) {
        throw new IllegalArgumentException(name + ": " + quote(value) + " appears twice (expected: distinct values)");
      }
    }
    return copy;
  }

  private static boolean isHostNameOrAddress(String value) {
    return HOST_NAME.matcher(value).matches() || parseAddress(value) != null;
  }

  private static boolean isCidr(String value) {
    int slash = value.indexOf('/');
    InetAddress address = parseAddress(slash < 0 ? value : value.substring(0, slash));
    if (address == null) {
      return false;
    }
    int bits = address.getAddress().length * 8;
    if (slash < 0) {
      return true;
    }
    String prefix = value.substring(slash + 1);
    if (!prefix.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(prefix) > bits) {
      return false;
    }
    BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - Integer.parseInt(prefix)).subtract(BigInteger.ONE);
    return new BigInteger(1, address.getAddress()).and(hostMask).signum() == 0;
  }

  /** Dotted-quad IPv4 or plain IPv6 (no zone, no brackets); null otherwise. Never resolves names. */
  static InetAddress parseAddress(String value) {
    boolean v4 = IPV4.matcher(value).matches();
    if (!v4 && !(value.indexOf(':') >= 0 && IPV6_CHARS.matcher(value).matches())) {
      return null;
    }
    try {
      InetAddress address = InetAddress.ofLiteral(value);
      // Java turns ::ffff:a.b.c.d into an IPv4 address; OpenSSH keeps it IPv6. Refuse the ambiguity.
      return v4 == (address instanceof Inet4Address) ? address : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Quotes a value for an error message, with control characters made visible. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    value.codePoints().limit(80).forEach(c -> {
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.append(value.length() > 80 ? "...\"" : "\"").toString();
  }
}
