package dev.portcullis.bastion.recording.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live half of one recording: SSH I/O threads turn terminal bytes into asciicast lines in memory, and
 * the background writer moves them to the {@code .cast.part} file and fsyncs it. No caller of the event
 * methods ever waits for the disk; when the file falls more than the pending limit behind, events are
 * dropped and a marker event in the cast says how many.
 */
public final class LiveCast {
  private static final Logger LOG = LoggerFactory.getLogger(LiveCast.class);
  /** How much buffered text makes the event methods wake the background writer before its next tick. */
  private static final long WAKE_BYTES = 256 * 1024;

  private final String id;
  private final FileChannel file;
  private final LongSupplier nanoTime;
  private final long startNanos;
  private final long maxPendingBytes;
  private final Runnable wake;

  // Guarded by this: the event side, which SSH I/O threads enter.
  private final Utf8Stream outputText = new Utf8Stream();
  private final Utf8Stream inputText = new Utf8Stream();
  private Lines buffered = new Lines();
  private long pendingBytes;
  private long lastMicros;
  private boolean closed;
  private boolean dropping;
  private long droppedEvents;
  private long droppedBytes;
  private long totalDroppedEvents;

  // Guarded by io: the file side, which the background writer and finish() enter.
  private final ReentrantLock io = new ReentrantLock();
  private ByteBuffer unwritten;
  private boolean unsynced;
  private long lastSyncNanos = System.nanoTime();
  private boolean failing;

  /**
   * @param file the part file, positioned after its header
   * @param nanoTime the monotonic ticker that times events; its value now is the recording's time zero
   * @param maxPendingBytes how far the file may fall behind before events are dropped
   * @param wake asks the background writer to come now rather than at its next tick; must not block
   */
  public LiveCast(String id, FileChannel file, LongSupplier nanoTime, long maxPendingBytes, Runnable wake) {
    this.id = requireNonNull(id, "id");
    this.file = requireNonNull(file, "file");
    this.nanoTime = requireNonNull(nanoTime, "nanoTime");
    this.startNanos = nanoTime.getAsLong();
    if (maxPendingBytes < 1) {
      throw new IllegalArgumentException("maxPendingBytes: " + maxPendingBytes + " (expected: >= 1)");
    }
    this.maxPendingBytes = maxPendingBytes;
    this.wake = requireNonNull(wake, "wake");
  }

  public String id() {
    return id;
  }

  /** Terminal output from the node ({@code "o"}). */
  public void output(byte[] bytes, int offset, int length) {
    text('o', outputText, bytes, offset, length);
  }

  /** Keystrokes from the user ({@code "i"}). */
  public void input(byte[] bytes, int offset, int length) {
    text('i', inputText, bytes, offset, length);
  }

  /** A window change ({@code "r"}); sizes below 1 carry no size and are ignored. */
  public void resize(int columns, int rows) {
    if (columns >= 1 && rows >= 1) {
      event('r', columns + "x" + rows, 16);
    }
  }

  /** A marker ({@code "m"}), for example a note that an administrator ended the session. */
  public void marker(String label) {
    event('m', requireNonNull(label, "label"), label.length());
  }

  /** How many events were dropped because the file fell behind, over the whole recording. */
  public synchronized long droppedEvents() {
    return totalDroppedEvents;
  }

  /** Bytes accepted but not yet written to the file. */
  public synchronized long pendingBytes() {
    return pendingBytes;
  }

  private void text(char code, Utf8Stream stream, byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (length == 0) {
      return;
    }
    boolean wakeWriter;
    synchronized (this) {
      if (closed) {
        return;
      }
      if (dropped(length)) {
        // The next bytes do not follow on from the carried ones any more.
        stream.reset();
        return;
      }
      String text = stream.decode(bytes, offset, length);
      if (text.isEmpty()) {
        return;
      }
      wakeWriter = append(code, text);
    }
    if (wakeWriter) {
      wake.run();
    }
  }

  private void event(char code, String data, int size) {
    boolean wakeWriter;
    synchronized (this) {
      if (closed || dropped(size)) {
        return;
      }
      wakeWriter = append(code, data);
    }
    if (wakeWriter) {
      wake.run();
    }
  }

  /** Whether to drop an event of about {@code size} bytes; notes the drops in the cast once the file catches up. */
  private boolean dropped(int size) {
    if (dropping && pendingBytes <= maxPendingBytes / 2) {
      dropping = false;
      appendDropMarker();
    }
    if (!dropping && pendingBytes >= maxPendingBytes) {
      dropping = true;
      LOG.warn("Recording {} fell {} bytes behind its session; dropping events until the disk catches up",
          id, pendingBytes);
    }
    if (dropping) {
      droppedEvents++;
      totalDroppedEvents++;
      droppedBytes += size;
    }
    return dropping;
  }

  private void appendDropMarker() {
    append('m', "portcullis: " + droppedEvents + " events (" + droppedBytes
        + " bytes) were not recorded because the recording fell behind");
    droppedEvents = 0;
    droppedBytes = 0;
  }

  /** Adds a line; true when the buffer just grew past the size that warrants waking the writer. */
  private boolean append(char code, String data) {
    lastMicros = Math.max(lastMicros, (nanoTime.getAsLong() - startNanos) / 1_000);
    byte[] line = CastLines.event(lastMicros, code, data);
    long before = pendingBytes;
    buffered.add(line);
    pendingBytes += line.length;
    return before < WAKE_BYTES && pendingBytes >= WAKE_BYTES;
  }

  /**
   * Writes what is buffered and fsyncs when {@code syncIntervalNanos} have passed since the last fsync.
   * For the background writer: it returns at once when another thread is writing this file, and logs
   * failures (the text stays buffered and is tried again next time).
   */
  public void flushInBackground(long syncIntervalNanos) {
    if (!io.tryLock()) {
      return;
    }
    try {
      if (!file.isOpen()) {
        return;
      }
      write(false);
      if (unsynced && System.nanoTime() - lastSyncNanos >= syncIntervalNanos) {
        sync();
      }
      if (failing) {
        failing = false;
        LOG.info("Recording {} is being written again", id);
      }
    } catch (IOException e) {
      if (!failing) {
        failing = true;
        LOG.warn("Recording {} could not be written, will retry: {}", id, e.toString());
      }
    } finally {
      io.unlock();
    }
  }

  /** Writes and fsyncs everything buffered now; for tests and for callers that must know the data is on disk. */
  public void flush() throws IOException {
    io.lock();
    try {
      if (file.isOpen()) {
        write(true);
        sync();
      }
    } finally {
      io.unlock();
    }
  }

  /**
   * Stops taking events, then writes everything (a character left incomplete becomes U+FFFD, and drops not
   * yet noted get their marker), fsyncs and closes the file. Safe to call again after a failure.
   */
  public void finish() throws IOException {
    synchronized (this) {
      if (!closed) {
        closed = true;
        String output = outputText.finish();
        if (!output.isEmpty()) {
          append('o', output);
        }
        String input = inputText.finish();
        if (!input.isEmpty()) {
          append('i', input);
        }
        if (dropping) {
          dropping = false;
          appendDropMarker();
        }
      }
    }
    io.lock();
    try {
      if (file.isOpen()) {
        write(true);
        file.force(false);
        file.close();
      }
    } finally {
      io.unlock();
    }
  }

  /** Moves buffered lines to the file: everything when {@code all}, else what a failed write left plus one batch. */
  private void write(boolean all) throws IOException {
    for (int batch = 0; all || batch < 2; batch++) {
      if (unwritten == null) {
        synchronized (this) {
          if (buffered.isEmpty()) {
            return;
          }
          unwritten = buffered.take();
        }
      }
      while (unwritten.hasRemaining()) {
        int written = file.write(unwritten);
        synchronized (this) {
          pendingBytes -= written;
        }
        unsynced = true;
      }
      unwritten = null;
    }
  }

  private void sync() throws IOException {
    if (unsynced) {
      file.force(false);
      unsynced = false;
    }
    lastSyncNanos = System.nanoTime();
  }

  /** A growable byte array of whole lines that hands its contents over in one piece. */
  private static final class Lines {
    private static final int INITIAL = 4096;
    private byte[] bytes = new byte[INITIAL];
    private int size;

    void add(byte[] line) {
      if (size + line.length > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + line.length));
      }
      System.arraycopy(line, 0, bytes, size, line.length);
      size += line.length;
    }

    boolean isEmpty() {
      return size == 0;
    }

    ByteBuffer take() {
      ByteBuffer taken = ByteBuffer.wrap(bytes, 0, size);
      bytes = new byte[INITIAL];
      size = 0;
      return taken;
    }
  }
}
