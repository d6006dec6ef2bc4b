package dev.portcullis.bastion;

/** Starts recordings of interactive sessions (asciicast v2) for the bastion. */
public interface SessionRecorder {

  /** One recording in progress. The data methods run on I/O threads and must not block; {@link #finish()} may. */
  interface Recording {
    void output(byte[] data, int offset, int length);

    void input(byte[] data, int offset, int length);

    void resize(int columns, int rows);

    /** Makes the recording final and durable; only then is the session's end recorded. */
    void finish();
  }

  /**
   * Starts recording session {@code id} of a terminal {@code columns} by {@code rows}.
   *
   * @param term the client's TERM
   * @param title what players show, such as {@code alice@web-1 as alice}
   */
  Recording start(String id, int columns, int rows, String term, String title);
}
