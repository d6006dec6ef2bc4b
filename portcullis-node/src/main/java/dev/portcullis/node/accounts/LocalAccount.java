package dev.portcullis.node.accounts;

import java.util.Objects;

/**
 * One account as the host's user database reports it (a {@code getent passwd} line).
 *
 * @param gecos the whole comment field; {@link #fullName()} is its first comma-separated part
 */
public record LocalAccount(String login, long uid, long gid, String gecos, String home, String shell) {

  public LocalAccount {
    Objects.requireNonNull(login, "login");
    Objects.requireNonNull(gecos, "gecos");
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(shell, "shell");
    if (uid < 0) {
      throw new IllegalArgumentException("uid: " + uid + " (expected: >= 0)");
    }
    if (gid < 0) {
      throw new IllegalArgumentException("gid: " + gid + " (expected: >= 0)");
    }
  }

  /**
   * The full-name part of the comment field. Only this part carries the Portcullis marker: chfn lets users
   * edit the other parts (room, phones) of their own entry, but not this one under Debian's default
   * {@code CHFN_RESTRICT rwh}.
   */
  public String fullName() {
    int comma = gecos.indexOf(',');
    return comma < 0 ? gecos : gecos.substring(0, comma);
  }
}
