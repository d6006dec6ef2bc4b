package dev.portcullis.http.api;

import static java.util.Objects.requireNonNull;

import dev.portcullis.locks.Locks;
import dev.portcullis.nodes.NodeRegistry;
import dev.portcullis.ssh.ca.SshCertificateAuthority;
import dev.portcullis.ssh.issuance.NodePrincipals;
import dev.portcullis.ssh.issuance.SshCertificateIssuer;
import dev.portcullis.ssh.users.NodeLogins;
import dev.portcullis.ssh.users.SshUsers;
import dev.portcullis.tokens.JoinTokens;

/**
 * What the SSH parts of the API work with: the two certificate authorities, the issuer, and the
 * node, token, lock and certificate-holder records in the store.
 */
public record SshServices(
    SshCertificateAuthority userCa,
    SshCertificateAuthority hostCa,
    SshCertificateIssuer issuer,
    NodePrincipals nodePrincipals,
    NodeRegistry nodes,
    JoinTokens joinTokens,
    Locks locks,
    SshUsers sshUsers) {

  public SshServices {
    requireNonNull(userCa, "userCa");
    requireNonNull(hostCa, "hostCa");
    requireNonNull(issuer, "issuer");
    requireNonNull(nodePrincipals, "nodePrincipals");
    requireNonNull(nodes, "nodes");
    requireNonNull(joinTokens, "joinTokens");
    requireNonNull(locks, "locks");
    requireNonNull(sshUsers, "sshUsers");
  }

  /** The per-login decision for nodes, the bastion and the demo node. */
  public NodeLogins nodeLogins() {
    return new NodeLogins(sshUsers, nodePrincipals);
  }
}
