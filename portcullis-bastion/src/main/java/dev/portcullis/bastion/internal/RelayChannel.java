package dev.portcullis.bastion.internal;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.ssh.ca.UserExtension;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.server.channel.ChannelSession;

/**
 * A session channel on the inner server: MINA's, plus what the relay needs to know (whether a PTY and the agent
 * were asked for) and the bastion's answer to forwarding requests on it. Agent forwarding is carried to the node
 * when a role allows it; otherwise it is refused and audited, as X11 forwarding always is.
 */
final class RelayChannel extends ChannelSession {
  private final BastionContext context;
  private volatile boolean ptyRequested;
  private volatile boolean agentForwarded;

  RelayChannel(BastionContext context) {
    this.context = context;
  }

  boolean ptyRequested() {
    return ptyRequested;
  }

  @Override
  protected RequestHandler.Result handlePtyReqParsed(String term, int columns, int rows, int width, int height,
      Map<PtyMode, Integer> modes) throws IOException {
    ptyRequested = true;
    return super.handlePtyReqParsed(term, columns, rows, width, height, modes);
  }

  /** Whether the user forwarded the agent on this session, and may. */
  boolean agentForwarded() {
    return agentForwarded;
  }

  @Override
  protected RequestHandler.Result handleAgentForwardingParsed(String requestType) {
    InnerHop hop = InnerHop.of(getServerSession());
    if (!hop.allows(UserExtension.AGENT_FORWARDING)) {
      refuse(hop, "agent", "no role of " + hop.target.user().username() + " allows agent forwarding");
      return RequestHandler.Result.ReplyFailure;
    }
    // The node's session is asked for the agent too; its agent channels come back through AgentRelay.
    hop.agentForwarded(getServerSession());
    agentForwarded = true;
    return RequestHandler.Result.ReplySuccess;
  }

  @Override
  protected RequestHandler.Result handleX11Forwarding(String requestType, org.apache.sshd.common.util.buffer.Buffer buffer,
      boolean wantReply) {
    InnerHop hop = InnerHop.of(getServerSession());
    refuse(hop, "x11", "X11 forwarding is not carried through the bastion");
    return RequestHandler.Result.ReplyFailure;
  }

  private void refuse(InnerHop hop, String what, String why) {
    context.background.execute(() -> SessionAudit.record(context.services.audit(), hop.target, hop.login,
        AuditCode.SSH_FORWARD_REFUSED, null, Map.of("forward", what), List.of(why)));
  }
}
