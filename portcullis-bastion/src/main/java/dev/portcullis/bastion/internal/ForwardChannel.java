package dev.portcullis.bastion.internal;

import dev.portcullis.audit.AuditCode;
import dev.portcullis.ssh.ca.UserExtension;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.channel.AbstractServerChannel;

/**
 * A local port forward ({@code ssh -L}) on the inner connection. Refused and audited unless one of the user's
 * roles allows port forwarding; otherwise audited and carried to the node as the same request, so the node's
 * sshd decides and connects, as it would without the bastion.
 */
final class ForwardChannel extends AbstractServerChannel {
  private final BastionContext context;
  private final PipelinedSender toNode = new PipelinedSender(false);
  private final PipelinedSender toClient = new PipelinedSender(false);
  private volatile ClientChannel node;

  ForwardChannel(BastionContext context) {
    super(null);
    this.context = context;
  }

  @Override
  protected OpenFuture doInit(Buffer buffer) {
    String host = buffer.getString();
    int port = buffer.getInt();
    String originator = buffer.getString();
    int originatorPort = buffer.getInt();
    InnerHop hop = InnerHop.of(getServerSession());
    OpenFuture future = new DefaultOpenFuture(this, this);
    String destination = host + ":" + port;
    if (!hop.allows(UserExtension.PORT_FORWARDING)) {
      String why = "no role of " + hop.target.user().username() + " allows port forwarding";
      audit(hop, AuditCode.SSH_FORWARD_REFUSED, Map.of("forward", "local", "destination", destination), why);
      ExplainingConnectionService.explain(getSession(), getRecipient(), "Portcullis: " + why);
      future.setException(new SshChannelOpenException(getChannelId(),
          SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED, "Portcullis: " + why));
      return future;
    }
    audit(hop, AuditCode.SSH_PORT_FORWARD, Map.of("forward", "local", "destination", destination), "allowed");
    hop.upstream().whenComplete((upstream, error) -> {
      if (error != null) {
        fail(future, Upstream.reason(error));
        return;
      }
      try {
        ChannelDirectTcpip channel = upstream.createDirectTcpipChannel(
            new SshdSocketAddress(originator, originatorPort), new SshdSocketAddress(host, port));
        channel.setStreaming(ClientChannel.Streaming.Async);
        channel.open().addListener(opened -> {
          if (!opened.isOpened()) {
            fail(future, "node " + hop.target.node().name() + " refused the forward to " + destination + ": "
                + Upstream.reason(opened.getException()));
            return;
          }
          node = channel;
          toNode.attach(channel);
          // The confirmation goes out on this signal (as MINA's own forwarding channel does it), then the future.
          signalChannelOpenSuccess();
          future.setOpened();
          toClient.attach(this);
          toClient.copyFrom(channel.getAsyncOut(), bytes -> { }, () -> close(false));
          channel.addCloseFutureListener(closed -> close(false));
        });
      } catch (IOException | RuntimeException e) {
        fail(future, Upstream.reason(e));
      }
    });
    return future;
  }

  private void fail(OpenFuture future, String message) {
    ExplainingConnectionService.explain(getSession(), getRecipient(), "Portcullis: " + message);
    future.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_CONNECT_FAILED,
        "Portcullis: " + message));
  }

  @Override
  protected void doWriteData(byte[] data, int off, long len) {
    toNode.relay(Arrays.copyOfRange(data, off, off + (int) len), this);
  }

  @Override
  public void handleEof() throws IOException {
    super.handleEof();
    toNode.whenDrained(() -> {
      ClientChannel relayed = node;
      if (relayed != null) {
        // Nothing was written through MINA's stream: closing it sends just the EOF.
        relayed.getAsyncIn().close(false);
      }
    });
  }

  @Override
  protected void doWriteExtendedData(byte[] data, int off, long len) {
    throw new UnsupportedOperationException("port forwards carry no extended data");
  }

  @Override
  protected void preClose() {
    ClientChannel relayed = node;
    if (relayed != null) {
      relayed.close(true);
    }
    super.preClose();
  }

  private void audit(InnerHop hop, AuditCode code, Map<String, String> details, String reason) {
    context.background.execute(() -> SessionAudit.record(context.services.audit(), hop.target, hop.login, code,
        null, details, List.of(reason)));
  }
}
