package dev.portcullis.server.demo;

import java.io.IOException;
import java.util.Map;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.channel.ChannelSessionFactory;

/**
 * A session channel that remembers whether the client asked for a terminal and ignores the client's environment
 * variables (sshd accepts only those {@code AcceptEnv} lists; the demo node none), so the environment of a login's
 * processes is exactly what {@link LoginEnvironment} says.
 */
final class DemoChannelSession extends ChannelSession {
  /** Set on the channel when the client sent a pty-req. */
  static final AttributeKey<Boolean> TERMINAL = new AttributeKey<>();

  /** Opens session channels of this kind, and no other kind of channel. */
  static final ChannelSessionFactory FACTORY = new ChannelSessionFactory() {
    @Override
    public Channel createChannel(Session session) {
      return new DemoChannelSession();
    }
  };

  @Override
  protected RequestHandler.Result handleEnvParsed(String name, String value) {
    return RequestHandler.Result.ReplyFailure;
  }

  @Override
  protected RequestHandler.Result handlePtyReqParsed(String term, int columns, int rows, int width, int height,
      Map<PtyMode, Integer> modes) throws IOException {
    setAttribute(TERMINAL, Boolean.TRUE);
    return super.handlePtyReqParsed(term, columns, rows, width, height, modes);
  }
}
