package dev.portcullis.bastion.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import org.apache.sshd.common.io.IoOutputStream;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * Writes chunks to an asynchronous SSH stream one at a time, in order: MINA's channel streams allow one pending
 * write. Each chunk's callback runs once it is written, which is when the sender's window may grow again, so
 * the queue never holds more than the window the bastion granted. Chunks that arrive before the stream exists
 * wait for {@link #attach}.
 */
final class OrderedWriter {
  private record Chunk(byte[] data, Runnable onWritten) {}

  private final Queue<Chunk> queue = new ArrayDeque<>();
  private IoOutputStream target;
  private boolean writing;
  private boolean closeWhenDrained;
  private boolean failed;

  /** Sets the stream to write to and starts writing what is queued. */
  void attach(IoOutputStream stream) {
    synchronized (this) {
      target = stream;
    }
    next();
  }

  void write(byte[] data, Runnable onWritten) {
    synchronized (this) {
      if (failed || closeWhenDrained) {
        return;
      }
      queue.add(new Chunk(data, onWritten));
    }
    next();
  }

  /** Sends EOF once everything queued is written. */
  void closeWhenDrained() {
    synchronized (this) {
      closeWhenDrained = true;
    }
    next();
  }

  private void next() {
    Chunk chunk;
    IoOutputStream stream;
    synchronized (this) {
      if (writing || target == null || failed) {
        return;
      }
      chunk = queue.poll();
      stream = target;
      if (chunk == null) {
        if (closeWhenDrained) {
          closeWhenDrained = false;
          failed = true;
          stream.close(false);
        }
        return;
      }
      writing = true;
    }
    try {
      stream.writeBuffer(new ByteArrayBuffer(chunk.data())).addListener(written -> {
        synchronized (this) {
          writing = false;
          if (!written.isWritten()) {
            failed = true;
            queue.clear();
            return;
          }
        }
        chunk.onWritten().run();
        next();
      });
    } catch (java.io.IOException | RuntimeException e) {
      synchronized (this) {
        writing = false;
        failed = true;
        queue.clear();
      }
    }
  }
}
