package dev.portcullis.node.agent.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * sshd configuration text: the agent's drop-in, whether the main configuration includes it, and whether the
 * effective configuration ({@code sshd -T}) really uses the agent's settings.
 */
public final class SshdConfigs {

  /** sshd resolves relative Include paths against its configuration directory. */
  private static final Path SSHD_DIR = Path.of("/etc/ssh");
  /**
   * What a path written into sshd's configuration may hold: sshd splits directives on whitespace, treats
   * quotes and backslashes specially and expands {@code %} tokens in some of them.
   */
  private static final Pattern PLAIN_PATH = Pattern.compile("/[A-Za-z0-9/._+:@-]*");

  /** The settings the agent owns, by sshd -T's lowercase names. */
  public static final String TRUSTED_USER_CA_KEYS = "trustedusercakeys";
  public static final String HOST_CERTIFICATE = "hostcertificate";
  public static final String PRINCIPALS_COMMAND = "authorizedprincipalscommand";
  public static final String PRINCIPALS_COMMAND_USER = "authorizedprincipalscommanduser";
  public static final String PRINCIPALS_FILE = "authorizedprincipalsfile";

  private SshdConfigs() {}

  /** The lines of the drop-in; keys are sshd -T names, values what sshd -T should print for them. */
  public record DropIn(String nodeName, Path userCaKeys, Path hostCertificate, String principalsCommand,
      String principalsUser) {

    public String render() {
      return "# Written by `portcullis node join` for node " + nodeName + "; `portcullis node run` keeps the files\n"
          + "# it names current. Edits are overwritten at the next join.\n"
          + "TrustedUserCAKeys " + userCaKeys + "\n"
          + "HostCertificate " + hostCertificate + "\n"
          + "AuthorizedPrincipalsCommand " + principalsCommand + "\n"
          + "AuthorizedPrincipalsCommandUser " + principalsUser + "\n";
    }

    /** What sshd -T must show for the drop-in to be in force; empty when it is. */
    public Optional<String> notInForce(Map<String, List<String>> effective) {
      List<String> problems = new ArrayList<>();
      expect(effective, TRUSTED_USER_CA_KEYS, userCaKeys.toString(), problems);
      expect(effective, PRINCIPALS_COMMAND, principalsCommand, problems);
      expect(effective, PRINCIPALS_COMMAND_USER, principalsUser, problems);
      if (!effective.getOrDefault(HOST_CERTIFICATE, List.of()).contains(hostCertificate.toString())) {
        problems.add("HostCertificate does not list " + hostCertificate);
      }
      // A principals file is read as well as the command: what it lists would log in without asking Portcullis,
      // and a lock would not stop it.
      expect(effective, PRINCIPALS_FILE, "none", problems);
      return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    private static void expect(Map<String, List<String>> effective, String key, String wanted, List<String> problems) {
      List<String> values = effective.getOrDefault(key, List.of());
      if (!values.equals(List.of(wanted))) {
        problems.add(key + " is " + (values.isEmpty() ? "unset" : String.join(", ", values)) + " instead of " + wanted);
      }
    }
  }

  /** Refuses a path that sshd would not read back as the same single argument. */
  public static Path requirePlainPath(String name, Path path) {
    if (!PLAIN_PATH.matcher(path.toString()).matches()) {
      throw new IllegalArgumentException(name + ": " + path + " (expected: an absolute path of letters, digits and"
          + " / . _ + : @ -, without spaces, quotes or %, because it is written into sshd's configuration)");
    }
    return path;
  }

  /**
   * Whether an {@code Include} line of {@code mainConfig} reads {@code dropIn}. Only the main file is searched
   * (Debian's has {@code Include /etc/ssh/sshd_config.d/*.conf} at its top); sshd -T later proves the effect.
   */
  public static boolean includes(Path mainConfig, Path dropIn) throws IOException {
    for (String line : Files.readAllLines(mainConfig, StandardCharsets.UTF_8)) {
      String[] words = line.strip().split("[\\s=]+");
      if (words.length < 2 || !words[0].toLowerCase(Locale.ROOT).equals("include")) {
        continue;
      }
      for (int i = 1; i < words.length; i++) {
        String pattern = words[i].replace("\"", "");
        if (pattern.startsWith("#")) {
          break;
        }
        Path glob = SSHD_DIR.resolve(pattern);
        if (glob.equals(dropIn) || FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(dropIn)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Parses {@code sshd -T} output: lowercase keyword to its values, in order (some keywords repeat). */
  public static Map<String, List<String>> parseEffective(String output) {
    Map<String, List<String>> settings = new LinkedHashMap<>();
    for (String line : output.lines().toList()) {
      int space = line.indexOf(' ');
      if (space > 0) {
        settings.computeIfAbsent(line.substring(0, space), k -> new ArrayList<>()).add(line.substring(space + 1));
      }
    }
    return settings;
  }
}
