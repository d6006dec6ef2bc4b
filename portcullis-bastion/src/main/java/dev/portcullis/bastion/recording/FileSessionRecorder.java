package dev.portcullis.bastion.recording;

import static java.util.Objects.requireNonNull;

import dev.portcullis.bastion.SessionRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.InstantSource;
import java.util.Optional;

/** The bastion's recorder: asciicast v2 files in the data directory ({@link Recordings}). */
public final class FileSessionRecorder implements SessionRecorder {
  private final Recordings recordings;
  private final InstantSource clock;

  public FileSessionRecorder(Recordings recordings, InstantSource clock) {
    this.recordings = requireNonNull(recordings, "recordings");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * {@inheritDoc}
   *
   * @throws UncheckedIOException when the recording cannot be created: the session must then be refused
   */
  @Override
  public Recording start(String id, int columns, int rows, String term, String title) {
    RecordingWriter writer;
    try {
      writer = recordings.start(id, new RecordingHeader(columns, rows, clock.instant(), Optional.of(term), title));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record session " + id + ": " + e.getMessage(), e);
    }
    return new Recording() {
      @Override
      public void output(byte[] data, int offset, int length) {
        writer.output(data, offset, length);
      }

      @Override
      public void input(byte[] data, int offset, int length) {
        writer.input(data, offset, length);
      }

      @Override
      public void resize(int columns, int rows) {
        writer.resize(columns, rows);
      }

      @Override
      public void finish() {
        try {
          writer.close();
        } catch (IOException e) {
          throw new UncheckedIOException("recording of session " + id + " could not be sealed: " + e.getMessage(), e);
        }
      }
    };
  }
}
