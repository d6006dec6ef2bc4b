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
 * A session channel on the inner server: MINA's, plus what the relay needs to know (whether a PTY was asked for)
 * and the bastion's answer to forwarding requests on it. Agent and X11 forwarding are refused and audited: the
 * bastion does not carry them to nodes, and a role must at least allow agent forwarding for the refusal to say
 * more than "not allowed".
 */
final class RelayChannel extends ChannelSession {
  private final BastionContext context;
  private volatile boolean ptyRequested;

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

  @Override
  protected RequestHandler.Result handleAgentForwardingParsed(String requestType) {
    InnerHop hop = InnerHop.of(getServerSession());
    String why = hop.allows(UserExtension.AGENT_FORWARDING)
        ? "agent forwarding is not carried through the bastion"
        : "no role of " + hop.target.user().username() + " allows agent forwarding";
    refuse(hop, "agent", why);
    return RequestHandler.Result.ReplyFailure;
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
