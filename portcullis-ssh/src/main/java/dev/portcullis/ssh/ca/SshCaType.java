package dev.portcullis.ssh.ca;

/** What an {@link SshCertificateAuthority} signs: user certificates (logins) or host certificates (servers). */
public enum SshCaType {
  /** Signs user certificates; servers trust it through sshd's {@code TrustedUserCAKeys}. */
  USER("ssh-user"),
  /** Signs host certificates; clients trust it through a known_hosts {@code @cert-authority} line. */
  HOST("ssh-host");

  private final String id;

  SshCaType(String id) {
    this.id = id;
  }

  /** The stable name used in file names and on the command line: {@code ssh-user} or {@code ssh-host}. */
  public String id() {
    return id;
  }
}
