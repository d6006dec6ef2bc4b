package dev.portcullis.node.accounts;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The strict rule for login names the agent may create: 1 to 32 of {@code [a-z0-9_-]}, starting with a letter
 * or {@code _}, and not a name the system or a privileged group uses. A name that passes holds no character
 * that useradd, sudoers or a shell treats specially, so there is nothing left to inject.
 */
public final class LoginNames {

  /** The longest login accepted: useradd's limit on Linux. */
  public static final int MAX_LENGTH = 32;

  private static final Pattern SYNTAX = Pattern.compile("[a-z_][a-z0-9_-]{0," + (MAX_LENGTH - 1) + "}");

  /**
   * Names reserved whatever the host says: Debian's system accounts, common service accounts, and groups that
   * grant privileges. The last matter because useradd creates a group named after the login, so a user named
   * {@code sudo} on a host without that group yet would become a member of it once sudo is installed.
   */
  private static final Set<String> RESERVED = Set.of(
      // Debian base-passwd users and groups
      "root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy",
      "www-data", "backup", "list", "irc", "gnats", "nobody", "nogroup", "adm", "tty", "disk", "kmem",
      "dialout", "fax", "voice", "cdrom", "floppy", "tape", "sudo", "audio", "dip", "operator", "src",
      "shadow", "utmp", "video", "sasl", "plugdev", "staff", "users", "input", "kvm", "render", "sgx",
      "crontab", "netdev", "messagebus", "sshd", "ssh", "polkitd", "postgres", "mysql", "redis",
      // groups that grant root or near-root elsewhere
      "wheel", "admin", "docker", "lxd", "libvirt", "lpadmin", "sambashare", "kubernetes",
      // distribution default users and our own service account
      "halt", "shutdown", "ftp", "ubuntu", "debian", "portcullis");

  private LoginNames() {}

  /**
   * Why {@code login} may not be a managed account, whatever the host: empty when it is acceptable. The
   * reconciler additionally refuses names of this host's system accounts and groups.
   */
  public static Optional<String> problem(String login) {
    if (login == null) {
      return Optional.of("login: missing (expected: a login name)");
    }
    if (login.isEmpty()) {
      return Optional.of("login: empty (expected: 1 to " + MAX_LENGTH + " characters)");
    }
    if (login.length() > MAX_LENGTH) {
      return Optional.of("login: " + login.length() + " characters (expected: at most " + MAX_LENGTH + ")");
    }
    if (!SYNTAX.matcher(login).matches()) {
      return Optional.of("login: " + printable(login) + " (expected: lowercase letters a-z, digits, '_' and '-',"
          + " starting with a letter or '_')");
    }
    if (isReserved(login)) {
      return Optional.of("login: " + login + " is reserved for the system (expected: a personal login name)");
    }
    return Optional.empty();
  }

  /** Whether {@code login} has the syntax of a login name (it may still be reserved). */
  public static boolean isWellFormed(String login) {
    return login != null && SYNTAX.matcher(login).matches();
  }

  /**
   * Whether {@code login} is reserved: in the fixed list, a systemd account ({@code systemd-*}), or starting
   * with {@code _}, Debian's prefix for the system accounts that packages add (such as {@code _apt}).
   */
  public static boolean isReserved(String login) {
    return RESERVED.contains(login) || login.startsWith("systemd-") || login.startsWith("_");
  }

  /**
   * {@code login} quoted for a log line or an error message: control and non-ASCII characters become
   * {@code \\uXXXX}, so a hostile name cannot forge extra log lines.
   */
  public static String printable(String login) {
    if (login == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(login.length() + 2).append('"');
    for (int i = 0; i < login.length() && i < 64; i++) {
      char c = login.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append(login.length() > 64 ? "\"..." : "\"").toString();
  }
}
