package dev.portcullis.bastion.recording;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What the header line of a recording says: the terminal size when the session began, when it began, the
 * client's {@code TERM}, and a title such as {@code alice@demo-node as alice}.
 *
 * @param width terminal columns, at least 1 (use 80 when the client asked for no terminal)
 * @param height terminal rows, at least 1 (use 24 when the client asked for no terminal)
 * @param started when the session began; the cast's {@code timestamp} is its epoch second
 * @param term the client's {@code TERM}, written as the cast's {@code env}
 * @param title a one-line description for players; may be empty
 */
public record RecordingHeader(int width, int height, Instant started, Optional<String> term, String title) {
  public RecordingHeader {
    if (width < 1) {
      throw new IllegalArgumentException("width: " + width + " (expected: >= 1)");
    }
    if (height < 1) {
      throw new IllegalArgumentException("height: " + height + " (expected: >= 1)");
    }
    requireNonNull(started, "started");
    requireNonNull(term, "term");
    requireNonNull(title, "title");
  }
}
