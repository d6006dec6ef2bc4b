package dev.portcullis.bastion.recording;

import static java.util.Objects.requireNonNull;

import dev.portcullis.bastion.recording.internal.CastFiles;
import dev.portcullis.bastion.recording.internal.CastLines;
import dev.portcullis.bastion.recording.internal.Flusher;
import dev.portcullis.bastion.recording.internal.LiveCast;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session recordings directory ({@code <data_dir>/recordings}): gzipped asciicast v2 files named by
 * session id. It starts recordings, seals leftovers of a crash and opens recordings for replay and export.
 *
 * <p>A live recording is {@code ID.cast.part}, written by one background thread and fsynced at least every
 * {@link Settings#syncInterval()}, so a crash loses at most that much. {@link RecordingWriter#close()} turns
 * it into {@code ID.cast.gz}.
 */
public final class Recordings implements AutoCloseable {
  /** What a session id, and so a recording's file name, may be. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private static final Logger LOG = LoggerFactory.getLogger(Recordings.class);

  /** The recordings directory of a server's data directory: {@code <data_dir>/recordings}. */
  public static Path directoryIn(Path dataDir) {
    return requireNonNull(dataDir, "dataDir").resolve("recordings");
  }

  /**
   * How recordings are written.
   *
   * @param syncInterval the longest time a live recording's data waits for an fsync; default 1 second
   * @param maxPendingBytes how far one recording may fall behind its session before events are dropped
   *     (and the drop noted in the cast); default 8 MiB
   */
  public record Settings(Duration syncInterval, long maxPendingBytes) {
    public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(1), 8L * 1024 * 1024);

    public Settings {
      requireNonNull(syncInterval, "syncInterval");
      if (syncInterval.isNegative() || syncInterval.isZero()) {
        throw new IllegalArgumentException("syncInterval: " + syncInterval + " (expected: > 0)");
      }
      if (maxPendingBytes < 1) {
        throw new IllegalArgumentException("maxPendingBytes: " + maxPendingBytes + " (expected: >= 1)");
      }
    }
  }

  private final Path dir;
  private final LongSupplier nanoTime;
  private final Settings settings;
  private final Flusher flusher;
  private final Map<String, RecordingWriter> live = new ConcurrentHashMap<>();
  private boolean closed;

  private Recordings(Path dir, LongSupplier nanoTime, Settings settings) {
    this.dir = dir;
    this.nanoTime = nanoTime;
    this.settings = settings;
    this.flusher = new Flusher(settings.syncInterval());
  }

  /** Opens the directory with {@link Settings#DEFAULTS}; see {@link #open(Path, LongSupplier, Settings)}. */
  public static Recordings open(Path dir, LongSupplier nanoTime) throws IOException {
    return open(dir, nanoTime, Settings.DEFAULTS);
  }

  /**
   * Opens the directory, creating it readable by this user only when it is missing. Call {@link #recover()}
   * next, before any session starts.
   *
   * @param nanoTime a monotonic ticker in nanoseconds ({@code System::nanoTime}) that times events
   */
  public static Recordings open(Path dir, LongSupplier nanoTime, Settings settings) throws IOException {
    requireNonNull(dir, "dir");
    requireNonNull(nanoTime, "nanoTime");
    requireNonNull(settings, "settings");
    if (!Files.isDirectory(dir)) {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(dir);
      }
    }
    return new Recordings(dir, nanoTime, settings);
  }

  /** Returns {@code id} when it is a valid session id, or throws an exception that says what is wrong. */
  public static String requireValidId(String id) {
    requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("session id: '" + id + "' (expected: 1-64 characters A-Z, a-z, 0-9, '-')");
    }
    return id;
  }

  public Path directory() {
    return dir;
  }

  /**
   * Seals every part file a crash left (not the ones this instance is writing): keeps the complete lines,
   * drops a torn last one, and writes {@code ID.cast.gz}. Returns the ids, sorted, so that their sessions
   * can be marked ended. A part that cannot be sealed is logged and left in place.
   */
  public List<String> recover() throws IOException {
    List<String> recovered = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + CastFiles.PART)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        String id = name.substring(0, name.length() - CastFiles.PART.length());
        if (!ID.matcher(id).matches() || live.containsKey(id)) {
          continue;
        }
        try {
          if (Files.exists(dir.resolve(id + CastFiles.GZ))) {
            // Sealed, then the crash came before the part was deleted.
            Files.delete(entry);
          } else {
            CastFiles.recover(dir, id);
          }
          recovered.add(id);
          LOG.info("Recovered the recording of session {} after an unclean shutdown", id);
        } catch (IOException | RuntimeException e) {
          LOG.error("Could not recover the recording of session {} from {}", id, entry, e);
        }
      }
    }
    return recovered.stream().sorted().toList();
  }

  /**
   * Starts recording a session: creates {@code ID.cast.part} (this user only) with the header, fsynced, so
   * that even a crash right after leaves a playable file. It waits for the disk (a few milliseconds), unlike
   * the writer's event methods.
   *
   * @throws FileAlreadyExistsException when the session already has a recording
   * @throws IOException when the file cannot be created; record nothing then, and refuse the session if
   *     it must be recorded
   */
  public RecordingWriter start(String sessionId, RecordingHeader header) throws IOException {
    requireValidId(sessionId);
    requireNonNull(header, "header");
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("recordings in " + dir + " are closed");
      }
    }
    byte[] headerLine = CastLines.header(header.width(), header.height(), header.started().getEpochSecond(),
        header.term(), header.title());
    LiveCast cast = new LiveCast(sessionId, CastFiles.createPart(dir, sessionId, headerLine), nanoTime,
        settings.maxPendingBytes(), flusher::wake);
    RecordingWriter writer = new RecordingWriter(this, cast);
    synchronized (this) {
      if (!closed) {
        live.put(sessionId, writer);
        flusher.add(cast);
        return writer;
      }
    }
    writer.close(); // closed meanwhile: seal what was started so no part is left behind
    throw new IllegalStateException("recordings in " + dir + " are closed");
  }

  /** The recording of a session: the final {@code .cast.gz}, else the live {@code .cast.part}; empty when none. */
  public Optional<Path> find(String id) {
    return find(dir, id);
  }

  /**
   * The uncompressed asciicast v2 text of a finished recording, or of a live one up to its last complete
   * line, for replay and export. The caller closes it.
   *
   * @throws NoSuchFileException when the session has no recording
   */
  public InputStream openCast(String id) throws IOException {
    return openCast(dir, id);
  }

  /**
   * {@link #find(String)} in a recordings directory, for readers such as the admin CLI that must neither
   * create the directory nor start a writer.
   */
  public static Optional<Path> find(Path dir, String id) {
    requireNonNull(dir, "dir");
    if (id == null || !ID.matcher(id).matches()) {
      return Optional.empty();
    }
    for (String suffix : List.of(CastFiles.GZ, CastFiles.PART)) {
      Path file = dir.resolve(id + suffix);
      if (Files.isRegularFile(file)) {
        return Optional.of(file);
      }
    }
    return Optional.empty();
  }

  /** {@link #openCast(String)} in a recordings directory, for readers such as the admin CLI. */
  public static InputStream openCast(Path dir, String id) throws IOException {
    return CastFiles.open(requireNonNull(dir, "dir"), requireValidId(id));
  }

  /**
   * Closes every recording still live (as {@link RecordingWriter#close()}, logging failures: their part
   * files stay for {@link #recover()}), then stops the background writer.
   */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    for (RecordingWriter writer : List.copyOf(live.values())) {
      try {
        writer.close();
      } catch (IOException | RuntimeException e) {
        LOG.error("Could not finish the recording of session {}; it is recovered at the next start",
            writer.sessionId(), e);
      }
    }
    flusher.close();
  }

  /** Writes out, closes and compresses one recording; its writer calls this once at a time. */
  void seal(LiveCast cast) throws IOException {
    flusher.remove(cast);
    cast.finish();
    CastFiles.seal(dir, cast.id());
    live.remove(cast.id());
  }
}
