package dev.portcullis.bastion.internal;

import java.io.IOException;
import java.io.WriteAbortedException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.sshd.common.future.CloseFuture;
import org.apache.sshd.common.future.DefaultCloseFuture;
import org.apache.sshd.common.io.AbstractIoWriteFuture;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoService;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.util.closeable.AbstractCloseable;

/**
 * The inner server's connection for one jump: instead of a socket, the outer jump channel. What the client sends on
 * the channel goes straight into the inner SSH session, and the outer channel's window is released only once the
 * session has taken it; what the inner session writes goes out as channel data, as much at a time as the client's
 * window allows, without waiting for one packet before sending the next.
 */
final class ChannelIoSession extends AbstractCloseable implements IoSession {
  private static final class Written extends AbstractIoWriteFuture {
    Written(Object id) {
      super(id, null);
    }
  }

  private final long id;
  private final InnerServer.Sessions service;
  private final IoHandler handler;
  private final HopChannel channel;
  private final JumpTarget target;
  private final SocketAddress local;
  private final SocketAddress remote;
  private final Map<Object, Object> attributes = new HashMap<>();

  /** The inner session's output on its way to the client, as full packets as the client's window allows. */
  private final PipelinedSender toClient = new PipelinedSender(false);

  private final Object readLock = new Object();
  private final ArrayDeque<byte[]> held = new ArrayDeque<>();
  private boolean readSuspended;
  private boolean delivering;

  ChannelIoSession(long id, InnerServer.Sessions service, IoHandler handler, HopChannel channel, JumpTarget target,
      SocketAddress local, SocketAddress remote) {
    super("jump-" + id);
    this.id = id;
    this.service = service;
    this.handler = handler;
    this.channel = channel;
    this.target = target;
    this.local = local;
    this.remote = remote;
    toClient.attach(channel);
  }

  /** The hop the outer listener authorized for this session. */
  JumpTarget target() {
    return target;
  }

  @Override
  public long getId() {
    return id;
  }

  @Override
  public SocketAddress getAcceptanceAddress() {
    return local;
  }

  @Override
  public SocketAddress getLocalAddress() {
    return local;
  }

  /** The user's address on the outer connection: the inner session's client is the same user. */
  @Override
  public SocketAddress getRemoteAddress() {
    return remote;
  }

  @Override
  public IoService getService() {
    return service;
  }

  @Override
  public Object getAttribute(Object key) {
    synchronized (attributes) {
      return attributes.get(key);
    }
  }

  @Override
  public Object setAttribute(Object key, Object value) {
    synchronized (attributes) {
      return attributes.put(key, value);
    }
  }

  @Override
  public Object setAttributeIfAbsent(Object key, Object value) {
    synchronized (attributes) {
      return attributes.putIfAbsent(key, value);
    }
  }

  @Override
  public Object removeAttribute(Object key) {
    synchronized (attributes) {
      return attributes.remove(key);
    }
  }

  // ---- from the client: outer channel data into the inner session

  /**
   * Bytes the client sent on the jump channel (called by the outer session's reader, one call at a time). The
   * channel's window grows back by {@code length} once the inner session has taken them, so the client can never
   * have more in the bastion than one window.
   */
  void received(byte[] data, int offset, int length) {
    synchronized (readLock) {
      if (readSuspended || delivering) {
        held.add(Arrays.copyOfRange(data, offset, offset + length));
        return;
      }
      delivering = true;
    }
    deliver(data, offset, length);
    deliverHeld();
  }

  private void deliverHeld() {
    while (true) {
      byte[] next;
      synchronized (readLock) {
        if (readSuspended || held.isEmpty()) {
          delivering = false;
          return;
        }
        next = held.poll();
      }
      deliver(next, 0, next.length);
    }
  }

  private void deliver(byte[] data, int offset, int length) {
    if (isClosing()) {
      return;
    }
    try {
      // The inner session copies what it is given into its own decoder buffer before it returns.
      handler.messageReceived(this, new ByteArrayBuffer(data, offset, length));
      channel.getLocalWindow().release(length);
    } catch (Exception e) {
      // The inner session ends (telling the client why, where it can); the outer connection and its other
      // channels are not affected.
      try {
        handler.exceptionCaught(this, e);
      } catch (Exception unhandled) {
        close(true);
      }
    }
  }

  @Override
  public void suspendRead() {
    synchronized (readLock) {
      readSuspended = true;
    }
  }

  @Override
  public void resumeRead() {
    synchronized (readLock) {
      readSuspended = false;
      if (delivering) {
        return;
      }
      delivering = true;
    }
    deliverHeld();
  }

  // ---- to the client: inner session output as outer channel data

  @Override
  public IoWriteFuture writeBuffer(Buffer buffer) throws IOException {
    Written future = new Written(this);
    // The inner session does not touch a written buffer before its future completes: no copy is needed.
    boolean queued = !isClosing() && toClient.write(buffer.array(), buffer.rpos(), buffer.wpos(),
        () -> future.setValue(Boolean.TRUE), future::setValue);
    if (!queued) {
      future.setValue(new ClosedChannelException());
    }
    return future;
  }

  /** Bytes the inner session wrote that wait for the client's window. */
  long queued() {
    return toClient.queued();
  }

  /** Half-closes: the client gets EOF on the jump channel after everything written so far. */
  @Override
  public void shutdownOutputStream() {
    toClient.whenDrained(() -> {
      try {
        channel.eof();
      } catch (IOException e) {
        close(true);
      }
    });
  }

  // ---- closing: either side ends the other

  /** Gracefully: once everything written went to the channel (the channel then closes after sending it). */
  @Override
  protected CloseFuture doCloseGracefully() {
    DefaultCloseFuture flushed = new DefaultCloseFuture(this, futureLock);
    if (!toClient.whenDrained(flushed::setClosed)) {
      flushed.setClosed();
    }
    return flushed;
  }

  @Override
  protected void doCloseImmediately() {
    toClient.stop(new WriteAbortedException("the jump channel closed", null));
    synchronized (readLock) {
      held.clear();
    }
    service.remove(this);
    try {
      handler.sessionClosed(this);
    } catch (Exception ignored) {
      // The inner session is closing already.
    }
    // Graceful for the channel: what was handed to it still goes out, then its close.
    channel.close(false);
    super.doCloseImmediately();
  }

  @Override
  public String toString() {
    return "ChannelIoSession[" + id + ", " + remote + " via " + channel + "]";
  }
}
