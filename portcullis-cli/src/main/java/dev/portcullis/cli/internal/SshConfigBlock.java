package dev.portcullis.cli.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The OpenSSH client settings that make stock {@code ssh} use the Portcullis key, certificate and host CA: as a
 * config block scoped to host patterns ({@code portcullis ssh-config}) or as {@code -o} options
 * ({@code portcullis ssh}). Host keys are checked strictly against the host CA only.
 */
public final class SshConfigBlock {

  private static final Pattern HOST_PATTERN = Pattern.compile("!?[A-Za-z0-9.*?:_\\[\\]-]{1,255}");
  private static final Pattern JUMP = Pattern.compile(
      "([a-z_][a-z0-9_.-]{0,31}@)?([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}])(:[0-9]{1,5})?");

  private SshConfigBlock() {}

  /**
   * Checks {@code --hosts}: ssh_config host patterns separated by commas or spaces ({@code *.example.com
   * 10.0.0.*}, {@code !} negates), with at least one that is not negated.
   *
   * @return the patterns separated by single spaces, as a {@code Host} line takes them
   */
  public static String hostPatterns(String value) {
    if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
      throw CliFailure.usage("--hosts: \"" + printable(value) + "\" holds a line break or control character"
          + " (expected: host patterns on one line)");
    }
    List<String> patterns = new ArrayList<>();
    for (String pattern : value.strip().split("[,\\s]+")) {
      if (!HOST_PATTERN.matcher(pattern).matches()) {
        throw CliFailure.usage("--hosts: \"" + printable(pattern) + "\" (expected: ssh_config host patterns"
            + " such as '*.example.com' or '10.0.0.* web-?.internal', separated by commas or spaces)");
      }
      patterns.add(pattern);
    }
    if (patterns.stream().allMatch(p -> p.startsWith("!"))) {
      throw CliFailure.usage("--hosts: \"" + printable(value) + "\" only excludes hosts (expected: at least one"
          + " pattern without '!')");
    }
    return String.join(" ", patterns);
  }

  /** Checks {@code --proxy-jump}: one {@code [user@]host[:port]}. */
  public static String jumpHost(String value) {
    if (!JUMP.matcher(value).matches()) {
      throw CliFailure.usage("--proxy-jump: \"" + printable(value) + "\" (expected: [user@]host[:port], such as"
          + " bastion.example.com or root@10.0.0.1:2222)");
    }
    return value;
  }

  /**
   * The config block.
   *
   * @param header    comment lines (without {@code #}) that say whose it is and what it applies to
   * @param hosts     validated host patterns ({@link #hostPatterns})
   * @param proxyJump a validated jump host ({@link #jumpHost}), or null
   */
  public static String render(List<String> header, CliHome home, String hosts, String proxyJump) {
    StringBuilder block = new StringBuilder();
    header.forEach(line -> block.append("# ").append(line).append('\n'));
    if (proxyJump != null) {
      // The jump host gets the identity too, but no ProxyJump: ssh would otherwise jump through it to itself.
      String jumpName = jumpHostName(proxyJump);
      block.append("Host ").append(jumpName).append('\n');
      settings(home).forEach(line -> block.append("    ").append(line).append('\n'));
      block.append("Host ").append(hosts).append(" !").append(jumpName).append('\n');
      block.append("    ProxyJump ").append(proxyJump).append('\n');
    } else {
      block.append("Host ").append(hosts).append('\n');
    }
    settings(home).forEach(line -> block.append("    ").append(line).append('\n'));
    return block.toString();
  }

  /** The same settings as {@code ssh -o} arguments; ssh keeps the first value it reads, so these win. */
  public static List<String> options(CliHome home) {
    List<String> options = new ArrayList<>();
    for (String setting : settings(home)) {
      int space = setting.indexOf(' ');
      options.add("-o");
      options.add(setting.substring(0, space) + "=" + setting.substring(space + 1));
    }
    return List.copyOf(options);
  }

  private static List<String> settings(CliHome home) {
    return List.of(
        "IdentityFile " + path(home.privateKey()),
        "CertificateFile " + path(home.certificate()),
        "IdentitiesOnly yes",
        "UserKnownHostsFile " + path(home.knownHosts()),
        "StrictHostKeyChecking yes");
  }

  /** A path as ssh_config reads it: {@code %} escaped (these options expand tokens), quoted when it has spaces. */
  static String path(Path path) {
    String value = path.toString();
    if (value.chars().anyMatch(c -> c == '"' || c < 0x20 || c == 0x7f)) {
      throw CliFailure.failure(path + ": ssh_config cannot express a path with quotes or control characters"
          + " (set PORTCULLIS_HOME to a plainer directory)");
    }
    value = value.replace("%", "%%");
    return value.contains(" ") || value.contains("\t") ? "\"" + value + "\"" : value;
  }

  /**
   * How to reach a node through the validated jump host {@link #jumpHost jump} in one hop, without ProxyJump:
   * {@code [-p PORT] LOGIN@NODE@HOST}, the node in the user name.
   */
  public static String oneHop(String jump) {
    String hostAndPort = jump.substring(jump.indexOf('@') + 1);
    String host = jumpHostName(jump);
    int portAt = hostAndPort.lastIndexOf(':');
    String port = portAt < 0 || hostAndPort.endsWith("]") ? "" : hostAndPort.substring(portAt + 1);
    return (port.isEmpty() || port.equals("22") ? "" : "-p " + port + " ") + "LOGIN@NODE@" + host;
  }

  private static String jumpHostName(String jump) {
    String host = jump.substring(jump.indexOf('@') + 1);
    if (host.startsWith("[")) {
      return host.substring(1, host.indexOf(']'));
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  private static String printable(String value) {
    return value.replaceAll("\\p{Cntrl}", "?");
  }
}
