package dev.portcullis.bastion.internal;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.AbstractChannel;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.apache.sshd.common.channel.RemoteWindow;
import org.apache.sshd.common.io.IoInputStream;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.util.threads.ThreadUtils;

/**
 * Sends bytes on a channel as fast as the peer's window allows, with many packets in flight. MINA's asynchronous
 * channel stream sends one packet and waits until the socket has taken it before it sends the next, which held the
 * bastion to a seventh of direct OpenSSH's throughput; here what is queued goes to the session's write queue (which
 * keeps it in order) as long as the window has room, each packet as full as the window and what is queued allow, and
 * the window's growth resumes sending. A write's {@code onSent} runs once its last byte went to the session, outside
 * this sender's lock (it may write again): from then on the windows, not this queue, bound what is in flight.
 */
final class PipelinedSender implements ChannelListener {
  private static final String WINDOW_ADJUST = "SSH_MSG_CHANNEL_WINDOW_ADJUST";
  private static final int CHUNK = 32 * 1024;
  /** How far {@link #copyFrom} reads ahead of a slow receiver. */
  private static final long READ_AHEAD = 1024 * 1024;
  private static final Consumer<Throwable> NOTHING = why -> { };

  private static final class Chunk {
    final byte[] data;
    final int end;
    final Runnable onSent;
    final Consumer<Throwable> onAbandoned;
    int offset;

    Chunk(byte[] data, int offset, int end, Runnable onSent, Consumer<Throwable> onAbandoned) {
      this.data = data;
      this.offset = offset;
      this.end = end;
      this.onSent = onSent;
      this.onAbandoned = onAbandoned;
    }
  }

  private final boolean stderr;
  private final Queue<Chunk> queue = new ArrayDeque<>();
  private AbstractChannel channel;
  private Runnable whenDrained;
  private boolean stopped;
  private long queuedBytes;

  /** @param stderr whether the bytes are the channel's extended data (stderr) rather than its data */
  PipelinedSender(boolean stderr) {
    this.stderr = stderr;
  }

  /** Starts sending on {@code target}; what was queued before goes first. */
  void attach(AbstractChannel target) {
    synchronized (this) {
      channel = target;
    }
    target.addChannelListener(this);
    pump();
  }

  /**
   * Queues {@code data[offset, end)}, which must not change until {@code onSent} runs; {@code onAbandoned} runs
   * instead if the sender stops first.
   *
   * @return false, and nothing runs, when nothing more may be sent: the sender stopped or was told to drain
   */
  boolean write(byte[] data, int offset, int end, Runnable onSent, Consumer<Throwable> onAbandoned) {
    synchronized (this) {
      if (stopped || whenDrained != null) {
        return false;
      }
      if (offset < end) {
        queue.add(new Chunk(data, offset, end, onSent, onAbandoned));
        queuedBytes += end - offset;
      }
    }
    if (offset == end) {
      onSent.run();
      return true;
    }
    pump();
    return true;
  }

  void write(byte[] data, Runnable onSent) {
    write(data, 0, data.length, onSent, NOTHING);
  }

  /**
   * Sends bytes that arrived on {@code from}; {@code from}'s window grows by them once they are sent, so the peer
   * that sent them may send more. Nothing more than the windows ever waits here.
   */
  void relay(byte[] data, AbstractChannel from) {
    write(data, () -> {
      try {
        from.getLocalWindow().release(data.length);
      } catch (IOException e) {
        from.close(true);
      }
    });
  }

  /**
   * Sends everything {@code from} (a channel's asynchronous output) yields, until it ends; then {@code atEnd} runs
   * once all of it was sent. Reads go on while less than {@link #READ_AHEAD} waits for this side's window, so
   * {@code from}'s window, and its peer, slow down when this side's receiver does. {@code tap} sees each chunk
   * before it is queued.
   */
  void copyFrom(IoInputStream from, Consumer<byte[]> tap, Runnable atEnd) {
    Buffer buffer = new ByteArrayBuffer(CHUNK, false);
    from.read(buffer).addListener(read -> {
      int n = read.getRead();
      if (read.getException() != null || n < 0) {
        whenDrained(atEnd);
        return;
      }
      byte[] bytes = Arrays.copyOfRange(buffer.array(), buffer.rpos(), buffer.rpos() + n);
      tap.accept(bytes);
      AtomicBoolean resumed = new AtomicBoolean();
      Runnable next = () -> {
        if (resumed.compareAndSet(false, true)) {
          copyFrom(from, tap, atEnd);
        }
      };
      write(bytes, () -> {
        if (queued() < READ_AHEAD) {
          next.run();
        }
      });
      if (queued() < READ_AHEAD) {
        next.run();
      }
    });
  }

  /**
   * Runs {@code then} once everything queued has gone to the session (for EOF, which must come after it); nothing
   * may be written after it.
   *
   * @return false, and {@code then} never runs, if the sender stopped (or drained) already
   */
  boolean whenDrained(Runnable then) {
    synchronized (this) {
      if (stopped) {
        return false;
      }
      whenDrained = then;
    }
    pump();
    return true;
  }

  /** Bytes queued and not yet handed to the session. */
  synchronized long queued() {
    return queuedBytes;
  }

  /** Nothing more goes out: what is queued is abandoned, and its writers are told {@code why}. */
  void stop(Throwable why) {
    List<Chunk> abandoned;
    synchronized (this) {
      stopped = true;
      whenDrained = null;
      abandoned = new ArrayList<>(queue);
      queue.clear();
      queuedBytes = 0;
    }
    abandoned.forEach(chunk -> chunk.onAbandoned.accept(why));
  }

  @Override
  public void channelStateChanged(Channel changed, String hint) {
    if (WINDOW_ADJUST.equals(hint)) {
      pump();
    }
  }

  @Override
  public void channelClosed(Channel closed, Throwable reason) {
    stop(reason != null ? reason : new ClosedChannelException());
  }

  /**
   * Sends what is queued as far as the window allows. Runs on every write and whenever the peer widens the window;
   * the {@code onSent} of what went out runs afterwards, outside the lock.
   */
  private void pump() {
    List<Runnable> sent = new ArrayList<>();
    Runnable drained = null;
    Throwable failure = null;
    synchronized (this) {
      if (channel == null || stopped) {
        return;
      }
      RemoteWindow window = channel.getRemoteWindow();
      try {
        while (queuedBytes > 0) {
          long room = Math.min(window.getSize(), window.getPacketSize());
          if (room <= 0) {
            break;
          }
          int length = (int) Math.min(queuedBytes, room);
          Buffer packet = channel.getSession().createBuffer(
              stderr ? SshConstants.SSH_MSG_CHANNEL_EXTENDED_DATA : SshConstants.SSH_MSG_CHANNEL_DATA, length + 16);
          packet.putUInt(channel.getRecipient());
          if (stderr) {
            packet.putUInt(SshConstants.SSH_EXTENDED_DATA_STDERR);
          }
          packet.putUInt(length);
          for (int left = length; left > 0; ) {
            Chunk chunk = queue.peek();
            int n = Math.min(chunk.end - chunk.offset, left);
            packet.putRawBytes(chunk.data, chunk.offset, n);
            chunk.offset += n;
            left -= n;
            if (chunk.offset == chunk.end) {
              queue.poll();
              sent.add(chunk.onSent);
            }
          }
          window.consume(length);
          queuedBytes -= length;
          // As an internal thread, as MINA's own forwarding does: during a key exchange the packet is queued (the
          // windows bound how much) instead of blocking a thread that holds this lock.
          ThreadUtils.runAsInternal(packet, channel::writePacket);
        }
      } catch (IOException | RuntimeException e) {
        failure = e;
      }
      if (failure == null && queuedBytes == 0 && whenDrained != null) {
        drained = whenDrained;
        whenDrained = null;
        stopped = true; // nothing more may follow EOF
      }
    }
    sent.forEach(Runnable::run);
    if (failure != null) {
      stop(failure);
      channel.close(true);
    } else if (drained != null) {
      drained.run();
    }
  }
}
