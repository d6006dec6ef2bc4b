package dev.portcullis.bastion.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.AbstractChannel;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.apache.sshd.common.channel.RemoteWindow;
import org.apache.sshd.common.io.IoInputStream;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.util.threads.ThreadUtils;

/**
 * Sends relayed bytes on a channel as fast as the peer's window allows, with many packets in flight. MINA's
 * asynchronous channel stream sends one packet and waits until the socket has taken it before it sends the next,
 * which held the bastion to a seventh of direct OpenSSH's throughput; here packets go to the session's write queue
 * (which keeps them in order) as long as the window has room, and the window's growth resumes sending. Each
 * chunk's callback runs once its last packet is written: that is when the sender of those bytes may send more.
 */
final class PipelinedSender implements ChannelListener {
  private static final String WINDOW_ADJUST = "SSH_MSG_CHANNEL_WINDOW_ADJUST";
  private static final int CHUNK = 32 * 1024;
  /** How far {@link #copyFrom} reads ahead of a slow receiver. */
  private static final long READ_AHEAD = 1024 * 1024;

  private static final class Chunk {
    final byte[] data;
    final Runnable onWritten;
    int offset;

    Chunk(byte[] data, Runnable onWritten) {
      this.data = data;
      this.onWritten = onWritten;
    }
  }

  private final boolean stderr;
  private final Queue<Chunk> queue = new ArrayDeque<>();
  private AbstractChannel channel;
  private Runnable whenDrained;
  private boolean failed;
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

  void write(byte[] data, Runnable onWritten) {
    synchronized (this) {
      if (failed || whenDrained != null) {
        return;
      }
      queue.add(new Chunk(data, onWritten));
      queuedBytes += data.length;
    }
    pump();
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

  /** Runs {@code then} once everything queued has gone to the session (for EOF, which must come after it). */
  void whenDrained(Runnable then) {
    synchronized (this) {
      whenDrained = then;
    }
    pump();
  }

  /** Bytes queued and not yet handed to the session. */
  synchronized long queued() {
    return queuedBytes;
  }

  @Override
  public void channelStateChanged(Channel changed, String hint) {
    if (WINDOW_ADJUST.equals(hint)) {
      pump();
    }
  }

  @Override
  public void channelClosed(Channel closed, Throwable reason) {
    synchronized (this) {
      failed = true;
      queue.clear();
      queuedBytes = 0;
    }
  }

  private void pump() {
    Runnable drained = null;
    synchronized (this) {
      if (channel == null || failed) {
        return;
      }
      RemoteWindow window = channel.getRemoteWindow();
      try {
        while (!queue.isEmpty()) {
          Chunk chunk = queue.peek();
          long room = Math.min(window.getSize(), window.getPacketSize());
          if (room <= 0) {
            break;
          }
          int length = (int) Math.min(chunk.data.length - chunk.offset, room);
          Buffer packet = channel.getSession().createBuffer(
              stderr ? SshConstants.SSH_MSG_CHANNEL_EXTENDED_DATA : SshConstants.SSH_MSG_CHANNEL_DATA, length + 16);
          packet.putUInt(channel.getRecipient());
          if (stderr) {
            packet.putUInt(SshConstants.SSH_EXTENDED_DATA_STDERR);
          }
          packet.putBytes(chunk.data, chunk.offset, length);
          window.consume(length);
          chunk.offset += length;
          queuedBytes -= length;
          // As an internal thread, as MINA's own forwarding and ChannelIoSession write: during a key exchange the
          // packet is queued (the windows bound how much) instead of blocking a thread that holds this lock.
          IoWriteFuture written = ThreadUtils.runAsInternal(packet, channel::writePacket);
          if (chunk.offset == chunk.data.length) {
            queue.poll();
            written.addListener(done -> {
              if (done.isWritten()) {
                chunk.onWritten.run();
              }
            });
          }
        }
      } catch (IOException | RuntimeException e) {
        failed = true;
        queue.clear();
        queuedBytes = 0;
        channel.close(true);
        return;
      }
      if (queue.isEmpty() && whenDrained != null) {
        drained = whenDrained;
        whenDrained = null;
        failed = true; // nothing more may follow EOF
      }
    }
    if (drained != null) {
      drained.run();
    }
  }
}
