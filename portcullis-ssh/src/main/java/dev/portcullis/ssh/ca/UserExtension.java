package dev.portcullis.ssh.ca;

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

  /** The extension name as OpenSSH spells it in the certificate, e.g. {@code permit-port-forwarding}. */
  public String wireName() {
    return wireName;
  }
}
