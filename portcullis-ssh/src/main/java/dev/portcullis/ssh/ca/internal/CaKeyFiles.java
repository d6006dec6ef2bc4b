package dev.portcullis.ssh.ca.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of one CA in its directory: {@code <prefix>-<generation>.key} holds the OpenSSH private key
 * (mode 0600) and {@code <prefix>-<generation>.pub} the public line for operators. Writes are atomic, so a
 * crash leaves either the old set of keys or the new one.
 */
public final class CaKeyFiles {

  /** A key read back from disk. */
  public record StoredKey(int generation, KeyPair keyPair) {}

  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private final Path directory;
  private final String prefix;
  private final Pattern keyFile;

  public CaKeyFiles(Path directory, String prefix) {
    this.directory = directory;
    this.prefix = prefix;
    this.keyFile = Pattern.compile(Pattern.quote(prefix) + "-([1-9][0-9]{0,8})\\.key");
  }

  /** Creates the directory (mode 0700 where POSIX) if needed, and removes temporary files a crash left. */
  public void prepare() throws IOException {
    if (!Files.isDirectory(directory)) {
      if (posix(directory)) {
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)));
      } else {
        Files.createDirectories(directory);
      }
    }
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(directory, prefix + "-*.tmp")) {
      for (Path path : stale) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** Every key of this CA, oldest generation first. Refuses files that others can read, as OpenSSH does. */
  public List<StoredKey> load() throws IOException {
    List<StoredKey> keys = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefix + "-*.key")) {
      for (Path path : files) {
        Matcher m = keyFile.matcher(path.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        requireOwnerOnly(path);
        keys.add(new StoredKey(Integer.parseInt(m.group(1)), OpenSshKeys.decodePrivateKey(path, Files.readAllBytes(path))));
      }
    }
    keys.sort(Comparator.comparingInt(StoredKey::generation));
    return List.copyOf(keys);
  }

  /** Writes a new generation; fails if that generation already exists rather than overwrite a key. */
  public void write(int generation, KeyPair keyPair, String comment, String publicLine) throws IOException {
    Path key = keyPath(generation);
    if (Files.exists(key)) {
      throw new FileAlreadyExistsException(key.toString(), null, "CA key generation " + generation + " exists");
    }
    writeAtomically(key, OpenSshKeys.encodePrivateKey(keyPair, comment), true);
    writeAtomically(publicPath(generation), (publicLine + "\n").getBytes(StandardCharsets.US_ASCII), false);
    syncDirectory();
  }

  /** Removes a generation's private and public key files. */
  public void delete(int generation) throws IOException {
    Files.deleteIfExists(keyPath(generation));
    Files.deleteIfExists(publicPath(generation));
    syncDirectory();
  }

  public Path keyPath(int generation) {
    return directory.resolve(prefix + "-" + generation + ".key");
  }

  private Path publicPath(int generation) {
    return directory.resolve(prefix + "-" + generation + ".pub");
  }

  private void writeAtomically(Path target, byte[] content, boolean secret) throws IOException {
    Path tmp = directory.resolve(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    // Create the file with its final mode so the secret is never readable by others, not even briefly.
    FileAttribute<?>[] attributes = posix(directory)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(secret ? OWNER_ONLY : withPublicRead())}
        : new FileAttribute<?>[0];
    try (FileChannel channel = FileChannel.open(tmp,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
  }

  private void requireOwnerOnly(Path path) throws IOException {
    if (!posix(path)) {
      return;
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
    if (permissions.stream().anyMatch(GROUP_OR_OTHER::contains)) {
      throw new IOException(path + ": permissions " + PosixFilePermissions.toString(permissions)
          + " are too open for a CA private key (expected: rw------- / 0600)");
    }
  }

  private void syncDirectory() {
    // Makes the rename durable on Linux; some platforms cannot open a directory, which is fine there.
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // best effort
    }
  }

  private static Set<PosixFilePermission> withPublicRead() {
    Set<PosixFilePermission> permissions = EnumSet.copyOf(OWNER_ONLY);
    permissions.add(PosixFilePermission.GROUP_READ);
    permissions.add(PosixFilePermission.OTHERS_READ);
    return permissions;
  }

  private static boolean posix(Path path) {
    return path != null && Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
  }
}
