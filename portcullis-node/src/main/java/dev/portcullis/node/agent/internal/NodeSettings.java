package dev.portcullis.node.agent.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Validation of what an admin gives {@code node join} and what {@code node.json} holds, with messages that
 * name the value and what was expected. The rules match the server's: a node name as {@code NodeRecord}
 * accepts it, label keys as role selectors accept them.
 */
public final class NodeSettings {

  /** The server's rule for node names (NodeRecord.NAME). */
  public static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?");
  private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9/._-]{0,62}");
  private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9/._-]{0,63}");
  private static final Pattern HOST_NAME = Pattern.compile(
      "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]{2,45}");
  private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]{16,512}");
  private static final Pattern PIN = Pattern.compile("sha256/[A-Za-z0-9+/]{43}=");
  private static final int MAX_LABELS = 64;

  private NodeSettings() {}

  /** A node name: lowercased, then as the server accepts it. */
  public static String nodeName(String name) {
    Objects.requireNonNull(name, "name");
    String lower = name.toLowerCase(Locale.ROOT);
    if (!NODE_NAME.matcher(lower).matches()) {
      throw new IllegalArgumentException("name: '" + printable(name) + "' (expected: 1-63 characters a-z, 0-9, '.',"
          + " '-', starting and ending with a letter or digit)");
    }
    return lower;
  }

  /** Parses {@code env=dev,team=web}; an empty string is no labels. */
  public static Map<String, String> parseLabels(String text) {
    Objects.requireNonNull(text, "labels");
    Map<String, String> labels = new TreeMap<>();
    if (text.isBlank()) {
      return labels;
    }
    for (String pair : text.split(",", -1)) {
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException("labels: '" + printable(pair) + "' (expected: key=value pairs separated"
            + " by commas, such as env=dev,team=web)");
      }
      String key = pair.substring(0, equals).strip();
      if (labels.put(key, pair.substring(equals + 1).strip()) != null) {
        throw new IllegalArgumentException("labels: key '" + printable(key) + "' given twice (expected: each once)");
      }
    }
    return labels(labels);
  }

  /** Checks keys and values; returns a sorted, unmodifiable copy. */
  public static Map<String, String> labels(Map<String, String> labels) {
    Objects.requireNonNull(labels, "labels");
    if (labels.size() > MAX_LABELS) {
      throw new IllegalArgumentException("labels: " + labels.size() + " (expected: at most " + MAX_LABELS + ")");
    }
    labels.forEach((key, value) -> {
      if (key == null || !LABEL_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException("labels: key '" + printable(key) + "' (expected: 1-63 characters A-Z,"
            + " a-z, 0-9, '/', '.', '_' or '-', starting with a letter or digit)");
      }
      if (value == null || !LABEL_VALUE.matcher(value).matches()) {
        throw new IllegalArgumentException("labels: value of " + key + " '" + printable(value) + "' (expected: at"
            + " most 63 characters A-Z, a-z, 0-9, '/', '.', '_' or '-')");
      }
    });
    return Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  /** {@code host:port} or {@code [ipv6]:port}, with a DNS name or IP literal and a port 1-65535. */
  public static String address(String address) {
    Objects.requireNonNull(address, "address");
    int colon = address.lastIndexOf(':');
    String problem = null;
    if (colon <= 0) {
      problem = "no port";
    } else {
      String host = address.substring(0, colon);
      String port = address.substring(colon + 1);
      if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
        problem = "port '" + printable(port) + "'";
      } else if (host.startsWith("[") && host.endsWith("]")) {
        if (!IPV6.matcher(host.substring(1, host.length() - 1)).matches()) {
          problem = "IPv6 address '" + printable(host) + "'";
        }
      } else if (!HOST_NAME.matcher(host).matches() && !isIpv4(host)) {
        problem = "host '" + printable(host) + "'";
      }
    }
    if (problem != null) {
      throw new IllegalArgumentException("address: '" + printable(address) + "' has a bad " + problem
          + " (expected: HOST:PORT where clients reach this sshd, such as 10.0.0.5:22)");
    }
    return address;
  }

  /** The host part of an address, without IPv6 brackets. */
  public static String host(String address) {
    String host = address.substring(0, address.lastIndexOf(':'));
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  /**
   * The Portcullis URL: https, or http only to a loopback address (tests and a local demo), with no user info,
   * query or fragment. Returns it without a trailing slash.
   */
  public static URI proxy(URI proxy) {
    Objects.requireNonNull(proxy, "proxy");
    String scheme = proxy.getScheme() == null ? "" : proxy.getScheme().toLowerCase(Locale.ROOT);
    String host = proxy.getHost();
    String problem = null;
    if (!proxy.isAbsolute() || host == null || host.isEmpty()) {
      problem = "not an absolute URL with a host";
    } else if (proxy.getRawUserInfo() != null || proxy.getRawQuery() != null || proxy.getRawFragment() != null) {
      problem = "has user info, a query or a fragment";
    } else if (proxy.getRawPath() != null && !proxy.getRawPath().isEmpty() && !proxy.getRawPath().equals("/")) {
      problem = "has a path";
    } else if (scheme.equals("http") && !isLoopback(host)) {
      problem = "is plain http to a host that is not loopback: the node credential would cross the network in clear";
    } else if (!scheme.equals("http") && !scheme.equals("https")) {
      problem = "is not https";
    }
    if (problem != null) {
      throw new IllegalArgumentException("proxy: " + proxy + " " + problem
          + " (expected: the Portcullis sign-in URL, such as https://portcullis.example.com)");
    }
    return URI.create(scheme + "://" + proxy.getRawAuthority());
  }

  public static boolean isCredential(String credential) {
    return credential != null && PRINTABLE.matcher(credential).matches();
  }

  public static String tlsPin(String pin) {
    if (pin == null || !PIN.matcher(pin).matches()) {
      throw new IllegalArgumentException("tlsPin: '" + printable(pin)
          + "' (expected: sha256/ and 44 base64 characters)");
    }
    return pin;
  }

  /** Quotes nothing but replaces control and non-ASCII characters, for error messages; cut at 80 characters. */
  public static String printable(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && i < 80; i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 || c >= 0x7f ? '?' : c);
    }
    return text.length() > 80 ? out + "..." : out.toString();
  }

  private static boolean isIpv4(String host) {
    if (!IPV4.matcher(host).matches()) {
      return false;
    }
    for (String part : host.split("\\.")) {
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLoopback(String host) {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (!isIpv4(bare) && !bare.contains(":")) {
      return false; // not even "localhost": name resolution must not decide whether a credential travels in clear
    }
    try {
      return InetAddress.getByName(bare).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
