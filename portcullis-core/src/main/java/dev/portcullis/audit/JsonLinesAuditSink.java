package dev.portcullis.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends each audit event as one JSON line to a file, and forces it to disk before returning, for
 * log shippers and SIEMs that tail files.
 */
public final class JsonLinesAuditSink implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;

  public JsonLinesAuditSink(Path file) throws IOException {
    this.file = file.toAbsolutePath();
    Files.createDirectories(this.file.getParent());
    this.channel = FileChannel.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  public void write(StoredAuditEvent stored) {
    writeAll(List.of(stored));
  }

  /** Appends the events in order and forces them to disk once. */
  public synchronized void writeAll(List<StoredAuditEvent> events) {
    StringBuilder lines = new StringBuilder(events.size() * 512);
    for (StoredAuditEvent stored : events) {
      String line = AuditEventJson.write(stored.event());
      // Add the chain position and hash so the file alone can be checked against the store.
      lines.append(line, 0, line.length() - 1)
          .append(",\"sequence\":").append(stored.sequence())
          .append(",\"hash\":\"").append(stored.hash()).append("\"}\n");
    }
    ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to audit file " + file, e);
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
