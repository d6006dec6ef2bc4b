package dev.portcullis.node.accounts.internal;

import dev.portcullis.node.accounts.HostCommands;
import dev.portcullis.node.accounts.LoginNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent's files in the sudoers drop-in directory, one per login ({@code portcullis-LOGIN}, mode 0440).
 * A new file is written under a temporary name in the same directory, checked with {@code visudo -c -f}, and
 * only then renamed into place, so sudo never reads a half-written or invalid drop-in. The temporary name
 * starts with a dot, and sudo's {@code @includedir} skips names that contain one.
 */
final class SudoersDropIns {

  static final Path VISUDO = Path.of("/usr/sbin/visudo");
  /** Bigger than any drop-in we write; a larger file is not ours to parse. */
  private static final int MAX_SIZE = 64 * 1024;

  private final Path directory;
  private final CommandRunner runner;

  SudoersDropIns(Path directory, CommandRunner runner) {
    this.directory = directory;
    this.runner = runner;
  }

  Map<String, String> list() throws IOException {
    Map<String, String> dropIns = new TreeMap<>();
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      return dropIns;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, HostCommands.DROP_IN_PREFIX + "*")) {
      for (Path file : files) {
        String login = file.getFileName().toString().substring(HostCommands.DROP_IN_PREFIX.length());
        // Only names we could have written; sudo itself ignores names with a dot, such as our temporary files.
        if (LoginNames.isWellFormed(login)) {
          dropIns.put(login, read(file));
        }
      }
    }
    return dropIns;
  }

  void install(String login, String content) throws IOException {
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("sudo drop-in directory " + directory + " is missing (is sudo installed?)");
    }
    Path target = directory.resolve(HostCommands.DROP_IN_PREFIX + login);
    Path temporary = Files.createTempFile(directory, "." + HostCommands.DROP_IN_PREFIX + login + "-", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("r--r-----"));
      CommandRunner.Result check = runner.run(VISUDO, "-c", "-f", temporary.toString());
      if (check.exitCode() != 0) {
        String why = (check.stderr() + check.stdout()).strip().replace(temporary.toString(), "drop-in");
        throw new IOException("sudoers drop-in for " + login + " rejected by " + VISUDO + " -c (exit "
            + check.exitCode() + "), not installed: " + why);
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory();
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  void remove(String login) throws IOException {
    if (Files.deleteIfExists(directory.resolve(HostCommands.DROP_IN_PREFIX + login))) {
      syncDirectory();
    }
  }

  private static String read(Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_SIZE) {
      // Not something we wrote; an empty content never equals a rule, so the reconciler replaces or removes it.
      return "";
    }
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  /** Makes the rename or deletion durable, so a crash cannot bring back a revoked grant. */
  private void syncDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
