package dev.portcullis.node.accounts.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.node.accounts.LoginNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The agent's record of the accounts it created: {@code {"version":1,"managedLogins":[...]}}, root-only
 * (0600, in a 0700 directory). Written atomically (temporary file, fsync, rename), so a crash leaves either
 * the old list or the new one. A file that cannot be read is an error, never an empty list: not knowing what
 * is ours must not look like owning nothing.
 */
public final class ManagedAccountsFile {

  private static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  public ManagedAccountsFile(Path file) {
    this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
  }

  public Path path() {
    return file;
  }

  /** The managed logins, sorted; empty when the file does not exist yet (the agent's first run). */
  public SortedSet<String> load() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new TreeSet<>();
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw corrupt("not JSON");
    }
    if (root == null || !root.isObject() || root.size() != 2 || !root.path("version").isInt()
        || root.path("version").intValue() != VERSION || !root.path("managedLogins").isArray()) {
      throw corrupt("expected {\"version\":" + VERSION + ",\"managedLogins\":[...]}");
    }
    SortedSet<String> logins = new TreeSet<>();
    for (JsonNode login : root.path("managedLogins")) {
      if (!login.isTextual() || !LoginNames.isWellFormed(login.textValue())) {
        throw corrupt("managedLogins holds " + LoginNames.printable(login.toString()) + " (expected: login names)");
      }
      logins.add(login.textValue());
    }
    return logins;
  }

  /** Replaces the file's list with {@code logins}, durably. */
  public void save(Set<String> logins) throws IOException {
    ObjectNode root = JSON.createObjectNode().put("version", VERSION);
    ArrayNode array = root.putArray("managedLogins");
    new TreeSet<>(logins).forEach(array::add);
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);

    Path directory = file.getParent();
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Path temporary = Files.createTempFile(directory, "." + file.getFileName() + "-", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
        dir.force(true);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private IOException corrupt(String why) {
    return new IOException("managed accounts file " + file + " is unreadable: " + why
        + "; no account is created or removed until it is repaired");
  }
}
