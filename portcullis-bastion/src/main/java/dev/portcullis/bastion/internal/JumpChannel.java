package dev.portcullis.bastion.internal;

import dev.portcullis.nodes.NodeRecord;
import java.util.Map;
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
  private final HopAuthorizer authorizer;

  JumpChannel(BastionContext context, InnerServer inner, HopAuthorizer authorizer) {
    this.context = context;
    this.inner = inner;
    this.authorizer = authorizer;
  }

  @Override
  protected OpenFuture doInit(Buffer buffer) {
    String host = buffer.getString();
    int port = buffer.getInt();
    buffer.getString(); // originator address and port: the hop's client address is the outer connection's
    buffer.getInt();
    ServerSession session = getServerSession();
    BastionUser user = session.getAttribute(OuterAuthenticator.USER);
    String client = OuterAuthenticator.clientAddress(session);
    if (user == null) {
      return refuse("not authenticated", null, client, host);
    }
    NodeRecord node;
    switch (authorizer.node(user, host)) {
      case HopAuthorizer.Decision.Refused<NodeRecord>(String why) -> {
        return refuse(why, user, client, host);
      }
      case HopAuthorizer.Decision.Allowed<NodeRecord>(NodeRecord found) -> node = found;
    }
    NodeAddress address = NodeAddress.parse(node.address());
    if (port != 22 && port != address.port()) {
      return refuse("only SSH to enrolled nodes goes through the bastion (asked for port " + port + " of "
          + node.name() + ")", user, client, host);
    }
    return openHop(buffer, inner, new JumpTarget(user, node, session, client));
  }

  private OpenFuture refuse(String why, BastionUser user, String client, String host) {
    if (user != null) {
      context.background.execute(() -> SessionAudit.refused(context.services.audit(), user,
          "node:" + UserCertificates.printable(host), client, why, Map.of()));
    }
    ExplainingConnectionService.explain(getSession(), getRecipient(), "Portcullis: " + why);
    OpenFuture future = new DefaultOpenFuture(this, this);
    future.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED,
        "Portcullis: " + why));
    return future;
  }
}
