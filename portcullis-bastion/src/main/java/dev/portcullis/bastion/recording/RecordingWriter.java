package dev.portcullis.bastion.recording;

import dev.portcullis.bastion.recording.internal.LiveCast;
import java.io.Closeable;
import java.io.IOException;

/**
 * Records one live session. The event methods are for SSH I/O threads: they never block on the disk, are
 * safe to call from several threads, and do nothing once the writer is closed. {@link #close()} blocks, so
 * call it off the I/O threads; only after it returns is the recording durable and final.
 */
public final class RecordingWriter implements Closeable {
  private final Recordings owner;
  private final LiveCast cast;
  private boolean sealed;

  RecordingWriter(Recordings owner, LiveCast cast) {
    this.owner = owner;
    this.cast = cast;
  }

  /** The session id, which names the recording. */
  public String sessionId() {
    return cast.id();
  }

  /** Terminal output from the node, as the bytes arrived; a character split across calls is joined up. */
  public void output(byte[] bytes, int offset, int length) {
    cast.output(bytes, offset, length);
  }

  /** Keystrokes from the user, for review; players do not replay them. */
  public void input(byte[] bytes, int offset, int length) {
    cast.input(bytes, offset, length);
  }

  /** A window change to {@code columns x rows}; sizes below 1 are ignored. */
  public void resize(int columns, int rows) {
    cast.resize(columns, rows);
  }

  /** A marker event with a label, for example why the session ended. */
  public void marker(String label) {
    cast.marker(label);
  }

  /** How many events were dropped so far because the disk fell too far behind (each drop is noted in the cast). */
  public long droppedEvents() {
    return cast.droppedEvents();
  }

  /**
   * Ends the recording: writes what is buffered, fsyncs, compresses it to {@code ID.cast.gz} (written aside,
   * fsynced, renamed into place, directory fsynced) and deletes the part file. Calling it again does nothing
   * once it succeeded, and retries when it failed; after a failure the part file is still on disk for
   * {@link Recordings#recover()}.
   */
  @Override
  public synchronized void close() throws IOException {
    if (!sealed) {
      owner.seal(cast);
      sealed = true;
    }
  }
}
