package dev.portcullis.bastion.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.sshd.client.channel.AbstractClientChannel;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.AbstractServerChannel;
import org.apache.sshd.server.session.ServerSession;

/**
 * Agent forwarding through the bastion, for users whose role allows it and who asked for it ({@code ssh -A}). When
 * a program on the node uses the agent, the node's sshd opens an agent channel on the bastion's connection to the
 * node; the bastion opens one to the user's ssh on the user's connection and passes the bytes both ways, unread,
 * with each side's flow control, and passes each end of file on (the user's ssh exits only once every channel has
 * closed). The node gets no agent channel on a hop that did not ask for forwarding.
 */
final class AgentRelay {
  static final String CHANNEL_TYPE = "auth-agent@openssh.com";
  /** On a connection to a node: the hop it serves, set when the connection is made. */
  static final AttributeKey<InnerHop> HOP = new AttributeKey<>();

  private AgentRelay() {}

  /** Accepts the agent channels nodes open on the bastion's connections to them. */
  static ChannelFactory fromNodes() {
    return new ChannelFactory() {
      @Override
      public String getName() {
        return CHANNEL_TYPE;
      }

      @Override
      public org.apache.sshd.common.channel.Channel createChannel(Session session) {
        return new FromNode();
      }
    };
  }

  /** The node's end: opened by the node's sshd when a program there asks for the agent. */
  private static final class FromNode extends AbstractServerChannel {
    private final PipelinedSender toNode = new PipelinedSender(false);
    private volatile ToUser user;

    FromNode() {
      super(null);
    }

    @Override
    protected OpenFuture doInit(Buffer buffer) {
      OpenFuture future = new DefaultOpenFuture(this, this);
      InnerHop hop = getSession().getAttribute(HOP);
      ServerSession userSession = hop == null ? null : hop.agentSession().orElse(null);
      if (userSession == null) {
        future.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED,
            "no agent was forwarded on this connection"));
        return future;
      }
      ToUser toUser = new ToUser(this);
      try {
        userSession.getService(ConnectionService.class).registerChannel(toUser);
        toUser.open().addListener(opened -> {
          if (!opened.isOpened()) {
            future.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_CONNECT_FAILED,
                "the user's ssh did not open its agent: " + Upstream.reason(opened.getException())));
            return;
          }
          user = toUser;
          toNode.attach(this);
          signalChannelOpenSuccess();
          future.setOpened();
          // Either end closing closes the other.
          addCloseFutureListener(closed -> toUser.close(false));
          toUser.addCloseFutureListener(closed -> close(false));
        });
      } catch (IOException | RuntimeException e) {
        future.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_CONNECT_FAILED,
            "the user's agent cannot be reached: " + Upstream.reason(e)));
      }
      return future;
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) {
      ToUser target = user;
      if (target != null) {
        target.toUser.relay(Arrays.copyOfRange(data, off, off + (int) len), this);
      }
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int off, long len) {
      throw new UnsupportedOperationException("agent channels carry no extended data");
    }

    @Override
    public void handleEof() throws IOException {
      super.handleEof();
      ToUser target = user;
      if (target != null) {
        target.toUser.whenDrained(target::forwardEof);
      }
    }

    /** What came before the other side's end of file has been sent: the end of file goes on too. */
    void forwardEof() {
      try {
        sendEof();
      } catch (IOException e) {
        close(true);
      }
    }
  }

  /** The user's end: the bastion asks the user's ssh for its agent, as sshd does. */
  private static final class ToUser extends AbstractClientChannel {
    private final PipelinedSender toUser = new PipelinedSender(false);
    private final FromNode node;

    ToUser(FromNode node) {
      super(CHANNEL_TYPE, List.of());
      this.node = node;
    }

    @Override
    protected void doOpen() {
      toUser.attach(this);
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) {
      node.toNode.relay(Arrays.copyOfRange(data, off, off + (int) len), this);
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int off, long len) {
      throw new UnsupportedOperationException("agent channels carry no extended data");
    }

    @Override
    public void handleEof() throws IOException {
      super.handleEof();
      node.toNode.whenDrained(node::forwardEof);
    }

    /** What came before the other side's end of file has been sent: the end of file goes on too. */
    void forwardEof() {
      try {
        sendEof();
      } catch (IOException e) {
        close(true);
      }
    }
  }
}
