package dev.portcullis.node.agent.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A set of file writes that can be undone: each file is replaced atomically (temporary file in the same
 * directory, fsync, rename), and its previous content, mode and owner are kept in memory so that
 * {@link #restore()} puts back exactly what was there, or removes what was not. sshd reads some of these
 * files at any moment, so none is ever seen half-written.
 */
public final class FileChanges {

  /** A file's state before the change: absent, or its bytes, mode and owner. */
  private record Previous(Path path, byte[] content, Set<PosixFilePermission> mode, int uid, int gid) {}

  private final List<Previous> previous = new ArrayList<>();
  private final List<Path> createdDirectories = new ArrayList<>();

  /** Creates {@code directory} if missing and sets its mode and owner (kept when the changes are restored). */
  public void directory(Path directory, String mode, int uid, int gid) throws IOException {
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(directory);
      createdDirectories.add(directory);
    }
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(mode));
    Files.setAttribute(directory, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(directory, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Replaces {@code path} with {@code content}, mode {@code mode} (such as {@code rw-r-----}) and the given
   * owner, unless it already holds exactly that.
   *
   * @return whether the file changed
   */
  public boolean write(Path path, byte[] content, String mode, int uid, int gid) throws IOException {
    Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(mode);
    Previous before = read(path);
    if (before != null && Arrays.equals(before.content(), content) && before.mode().equals(permissions)
        && before.uid() == uid && before.gid() == gid) {
      return false;
    }
    previous.add(before != null ? before : new Previous(path, null, Set.of(), -1, -1));
    replace(path, content, permissions, uid, gid);
    return true;
  }

  /** Whether any file was written. */
  public boolean changed() {
    return !previous.isEmpty();
  }

  /** The files written, in order. */
  public List<Path> written() {
    return previous.stream().map(Previous::path).toList();
  }

  /**
   * Puts every written file back as it was, newest change first, and removes directories this created if they
   * are empty again. Tries every file even when one fails.
   *
   * @throws IOException naming every file that could not be restored
   */
  public void restore() throws IOException {
    List<String> failures = new ArrayList<>();
    for (Previous before : previous.reversed()) {
      try {
        if (before.content() == null) {
          Files.deleteIfExists(before.path());
        } else {
          replace(before.path(), before.content(), before.mode(), before.uid(), before.gid());
        }
      } catch (IOException | RuntimeException e) {
        failures.add(before.path() + " (" + e.getMessage() + ")");
      }
    }
    previous.clear();
    for (Path directory : createdDirectories.reversed()) {
      try (var entries = Files.list(directory)) {
        if (entries.findAny().isEmpty()) {
          Files.delete(directory);
        }
      } catch (IOException e) {
        failures.add(directory + " (" + e.getMessage() + ")");
      }
    }
    createdDirectories.clear();
    if (!failures.isEmpty()) {
      throw new IOException("could not restore " + String.join(", ", failures));
    }
  }

  private static Previous read(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(path + " exists but is not a regular file (a link or directory); not replacing it");
    }
    return new Previous(path, Files.readAllBytes(path), Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS),
        (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS),
        (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS));
  }

  private static void replace(Path path, byte[] content, Set<PosixFilePermission> mode, int uid, int gid)
      throws IOException {
    Path directory = path.getParent();
    // Created 0600: nobody else can open it before its final mode and owner are set.
    Path temporary = Files.createTempFile(directory, "." + path.getFileName() + "-", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.setAttribute(temporary, "unix:uid", uid);
      Files.setAttribute(temporary, "unix:gid", gid);
      Files.setPosixFilePermissions(temporary, mode);
      Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
        dir.force(true);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
