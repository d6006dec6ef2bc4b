package dev.portcullis.bastion.recording.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The files of a recording in the recordings directory: {@code ID.cast.part} while live (plain, appended),
 * then {@code ID.cast.gz}, written as {@code ID.cast.gz.tmp}, fsynced and renamed into place so that a
 * crash leaves either the part or the whole gzip file, never half of one.
 */
public final class CastFiles {
  public static final String PART = ".cast.part";
  public static final String GZ = ".cast.gz";
  public static final String TMP = ".cast.gz.tmp";

  /** No real event line comes near this; a longer "line" is garbage a crash left behind. */
  private static final int MAX_LINE_BYTES = 16 * 1024 * 1024;
  /** The header a recovered part gets when the crash came before its own header reached the disk. */
  private static final byte[] FALLBACK_HEADER =
      CastLines.header(80, 24, 0, Optional.empty(), "");
  private static final int BUFFER = 64 * 1024;

  private CastFiles() {}

  /** Creates the part file (this user only), writes and fsyncs the header, and fsyncs the directory. */
  public static FileChannel createPart(Path dir, String id, byte[] header) throws IOException {
    if (Files.exists(dir.resolve(id + GZ))) {
      throw new FileAlreadyExistsException(dir.resolve(id + GZ).toString(), null, "recording already exists");
    }
    Path part = dir.resolve(id + PART);
    FileChannel file = FileChannel.open(part,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), privateFile());
    try {
      ByteBuffer bytes = ByteBuffer.wrap(header);
      while (bytes.hasRemaining()) {
        file.write(bytes);
      }
      file.force(true);
      syncDirectory(dir);
      return file;
    } catch (IOException | RuntimeException e) {
      file.close();
      Files.deleteIfExists(part);
      throw e;
    }
  }

  /** Compresses the whole part into the final file and deletes the part. */
  public static Path seal(Path dir, String id) throws IOException {
    try (InputStream part = Files.newInputStream(dir.resolve(id + PART))) {
      return seal(dir, id, part);
    }
  }

  /**
   * Seals a part that a crash left behind: keeps its header and every complete event line up to the first
   * torn or garbled one, and gives it a minimal header when it has none.
   */
  public static Path recover(Path dir, String id) throws IOException {
    Path part = dir.resolve(id + PART);
    long valid = validPrefix(part);
    try (InputStream whole = Files.newInputStream(part)) {
      InputStream kept = new Bounded(whole, valid);
      return seal(dir, id, valid == 0
          ? new SequenceInputStream(new ByteArrayInputStream(FALLBACK_HEADER), kept)
          : kept);
    }
  }

  /** The uncompressed cast: the final file, or the complete lines of the part while it is live. */
  public static InputStream open(Path dir, String id) throws IOException {
    Path gz = dir.resolve(id + GZ);
    if (Files.exists(gz)) {
      return gunzip(gz);
    }
    FileChannel part;
    try {
      part = FileChannel.open(dir.resolve(id + PART), StandardOpenOption.READ);
    } catch (java.nio.file.NoSuchFileException sealedMeanwhile) {
      return gunzip(gz);
    }
    try {
      return new Bounded(Channels.newInputStream(part), completeLines(part));
    } catch (IOException | RuntimeException e) {
      part.close();
      throw e;
    }
  }

  /** Makes entries created, renamed or deleted in {@code dir} survive a crash. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  private static Path seal(Path dir, String id, InputStream cast) throws IOException {
    Path tmp = dir.resolve(id + TMP);
    Path gz = dir.resolve(id + GZ);
    Files.deleteIfExists(tmp);
    try (FileChannel file = FileChannel.open(tmp,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), privateFile())) {
      GZIPOutputStream zip = new GZIPOutputStream(Channels.newOutputStream(file), BUFFER);
      cast.transferTo(zip);
      zip.finish();
      file.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(dir);
    Files.delete(dir.resolve(id + PART));
    return gz;
  }

  private static InputStream gunzip(Path gz) throws IOException {
    InputStream file = Files.newInputStream(gz);
    try {
      return new GZIPInputStream(new BufferedInputStream(file, BUFFER), BUFFER);
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /** The length of the part up to and including its last newline. */
  private static long completeLines(FileChannel part) throws IOException {
    long end = part.size();
    ByteBuffer block = ByteBuffer.allocate(8192);
    while (end > 0) {
      long start = Math.max(0, end - block.capacity());
      block.clear().limit((int) (end - start));
      while (block.hasRemaining() && part.read(block, start + block.position()) >= 0) {
        // read the whole block
      }
      for (int i = block.position() - 1; i >= 0; i--) {
        if (block.get(i) == '\n') {
          return start + i + 1;
        }
      }
      end = start;
    }
    return 0;
  }

  /** How many leading bytes of the part are a header and complete events. */
  private static long validPrefix(Path part) throws IOException {
    try (InputStream in = Files.newInputStream(part)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      byte[] buffer = new byte[BUFFER];
      long offset = 0;
      long valid = 0;
      int read;
      while ((read = in.read(buffer)) != -1) {
        int lineStart = 0;
        for (int i = 0; i < read; i++) {
          if (buffer[i] != '\n') {
            continue;
          }
          line.write(buffer, lineStart, i - lineStart);
          lineStart = i + 1;
          offset += line.size() + 1;
          String text = line.toString(StandardCharsets.UTF_8);
          line.reset();
          if (!(valid == 0 ? CastLines.isHeader(text) : CastLines.isEvent(text))) {
            return valid;
          }
          valid = offset;
        }
        line.write(buffer, lineStart, read - lineStart);
        if (line.size() > MAX_LINE_BYTES) {
          return valid;
        }
      }
      return valid;
    }
  }

  private static FileAttribute<?>[] privateFile() {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
  }

  /** The first {@code limit} bytes of a stream. */
  private static final class Bounded extends InputStream {
    private final InputStream in;
    private long left;

    Bounded(InputStream in, long limit) {
      this.in = in;
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int next = in.read();
      if (next >= 0) {
        left--;
      }
      return next;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (left <= 0) {
        return length == 0 ? 0 : -1;
      }
      int read = in.read(buffer, offset, (int) Math.min(length, left));
      if (read > 0) {
        left -= read;
      }
      return read;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
