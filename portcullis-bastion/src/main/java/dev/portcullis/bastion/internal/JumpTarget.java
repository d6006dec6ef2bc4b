package dev.portcullis.bastion.internal;

import static java.util.Objects.requireNonNull;

import dev.portcullis.nodes.NodeRecord;
import org.apache.sshd.server.session.ServerSession;

/**
 * One {@code ssh -J} hop: the authenticated user of an outer connection asked to reach {@code node}. The inner
 * session that runs on the jump channel carries it from its creation.
 *
 * @param user the user, as the outer connection authenticated them
 * @param node the enrolled node they asked for
 * @param outer the outer connection, closed with every session on it when the user is locked or a session killed
 * @param clientAddress the user's address, for audit events
 */
public record JumpTarget(BastionUser user, NodeRecord node, ServerSession outer, String clientAddress) {
  public JumpTarget {
    requireNonNull(user, "user");
    requireNonNull(node, "node");
    requireNonNull(outer, "outer");
    requireNonNull(clientAddress, "clientAddress");
  }
}
