package dev.portcullis.bastion.internal;

import java.io.IOException;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.AbstractServerChannel;

/**
 * An outer channel that carries an inner SSH session of this process, in place of a socket: what the client sends
 * on it goes to the inner session, and the inner session's output comes back on it (see {@link ChannelIoSession}).
 * Closing either ends the other.
 */
abstract class HopChannel extends AbstractServerChannel {
  private volatile ChannelIoSession hop;

  HopChannel() {
    super(null);
  }

  /**
   * Confirms the channel, then starts an inner session of {@code inner} on it for {@code target}; call from
   * {@code doInit} once the hop is authorized. The confirmation goes first: the inner server's greeting follows it.
   */
  protected final OpenFuture openHop(Buffer buffer, InnerServer inner, JumpTarget target) {
    OpenFuture opened = super.doInit(buffer);
    if (opened.isOpened()) {
      ChannelIoSession session = inner.newSession(this, target);
      hop = session;
      try {
        inner.start(session);
      } catch (Exception e) {
        log.warn("the inner session for {} did not start: {}", target.user().username(), e.toString());
        session.close(true);
      }
    }
    return opened;
  }

  /** The inner session on this channel, once there is one. */
  final ChannelIoSession hop() {
    return hop;
  }

  @Override
  protected void doWriteData(byte[] data, int off, long len) {
    ChannelIoSession session = hop;
    if (session != null) {
      session.received(data, off, (int) len);
    }
  }

  @Override
  protected void doWriteExtendedData(byte[] data, int off, long len) {
    throw new UnsupportedOperationException("a jump carries no extended data");
  }

  /** The client will send no more: as when a socket's peer goes away, the inner session ends. */
  @Override
  public void handleEof() throws IOException {
    super.handleEof();
    ChannelIoSession session = hop;
    if (session != null) {
      session.close(true);
    }
  }

  @Override
  protected void preClose() {
    ChannelIoSession session = hop;
    if (session != null) {
      session.close(true);
    }
    super.preClose();
  }

  /** Sends EOF to the client. */
  final void eof() throws IOException {
    sendEof();
  }
}
