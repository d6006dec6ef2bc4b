package dev.portcullis.bastion.internal;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.nodes.NodeRecord;
import dev.portcullis.policy.NodeResource;
import dev.portcullis.policy.PolicySnapshot;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.session.ServerSession;

/**
 * The jump of {@code ssh -J}: a {@code direct-tcpip} request for {@code NODE:22} on the outer connection. Only
 * enrolled nodes on which the user has some login are reachable; the stream then goes to the bastion's inner,
 * terminating server, never straight to the node, so every session is seen, authorized per login and recorded.
 * The inner server runs its session right on this channel, in this process: there is no socket in between that
 * another local process could reach. Nothing else can be reached through the bastion.
 */
final class JumpChannel extends HopChannel {
  private final BastionContext context;
  private final InnerServer inner;

  JumpChannel(BastionContext context, InnerServer inner) {
    this.context = context;
    this.inner = inner;
  }

  @Override
  protected OpenFuture doInit(Buffer buffer) {
    String host = buffer.getString();
    int port = buffer.getInt();
    buffer.getString(); // originator address and port: the hop's client address is the outer connection's
    buffer.getInt();
    ServerSession session = getServerSession();
    BastionUser user = session.getAttribute(OuterAuthenticator.USER);
    String client = session.getClientAddress() instanceof InetSocketAddress address
        ? address.getAddress().getHostAddress() : String.valueOf(session.getClientAddress());
    if (user == null) {
      return refuse("not authenticated", null, client, host);
    }
    Optional<NodeRecord> node = context.services.nodes().find(host.toLowerCase(Locale.ROOT));
    if (node.isEmpty()) {
      return refuse("no enrolled node is named '" + UserCertificates.printable(host) + "' (portcullis nodes ls lists them)",
          user, client, host);
    }
    NodeAddress address = NodeAddress.parse(node.get().address());
    if (port != 22 && port != address.port()) {
      return refuse("only SSH to enrolled nodes goes through the bastion (asked for port " + port + " of "
          + node.get().name() + ")", user, client, host);
    }
    PolicySnapshot policy = context.services.policy().get();
    NodeResource resource = new NodeResource(node.get().name(), node.get().labels());
    if (context.services.lockedUsers().isLocked(user.username())) {
      return refuse("user " + user.username() + " is locked", user, client, host);
    }
    if (context.services.nodeLogins().loginsFor(user.identity(), resource, policy).isEmpty()) {
      return refuse(user.username() + " has no login on node " + node.get().name() + " (no role grants a node labelled "
          + node.get().labels() + ")", user, client, host);
    }
    return openHop(buffer, inner, new JumpTarget(user, node.get(), session, client));
  }

  private OpenFuture refuse(String why, BastionUser user, String client, String host) {
    if (user != null) {
      context.background.execute(() -> context.services.audit().event(AuditCode.SSH_SESSION_REFUSED)
          .user(user.username()).provider(user.identity().provider()).resource("node:" + UserCertificates.printable(host))
          .clientAddress(client).reasons(List.of(why)).details(Map.of("key_id", user.keyId())).record());
    }
    ExplainingConnectionService.explain(getSession(), getRecipient(), "Portcullis: " + why);
    OpenFuture future = new DefaultOpenFuture(this, this);
    future.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED,
        "Portcullis: " + why));
    return future;
  }
}
