package dev.portcullis.ssh.ca;

import dev.portcullis.policy.SshGrant;
import java.util.EnumSet;

/**
 * Optional permissions in a user certificate. {@code permit-pty} is always granted; everything here is
 * off unless a request asks for it, and {@code permit-user-rc} is never granted.
 */
public enum UserExtension {
  PORT_FORWARDING("permit-port-forwarding"),
  AGENT_FORWARDING("permit-agent-forwarding"),
  X11_FORWARDING("permit-X11-forwarding");

  /** The extension every user certificate carries, so interactive logins work. */
  public static final String PERMIT_PTY = "permit-pty";

  private final String wireName;

  UserExtension(String wireName) {
    this.wireName = wireName;
  }

  /** The optional permissions {@code grant} allows. */
  public static EnumSet<UserExtension> grantedBy(SshGrant grant) {
    EnumSet<UserExtension> granted = EnumSet.noneOf(UserExtension.class);
    if (grant.portForwarding()) {
      granted.add(PORT_FORWARDING);
    }
    if (grant.agentForwarding()) {
      granted.add(AGENT_FORWARDING);
    }
    if (grant.x11Forwarding()) {
      granted.add(X11_FORWARDING);
    }
    return granted;
  }

  /** The extension name as OpenSSH spells it in the certificate, e.g. {@code permit-port-forwarding}. */
  public String wireName() {
    return wireName;
  }
}
