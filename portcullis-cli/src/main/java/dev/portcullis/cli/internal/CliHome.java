package dev.portcullis.cli.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The CLI's directory ({@code ~/.portcullis}, 0700): {@code profile.json}, the key pair and certificate under
 * {@code keys/}, and {@code known_hosts} with the host CA. Every file is written atomically with mode 0600
 * from its first byte, so a crash or another user never sees a partial or readable secret.
 */
public final class CliHome {

  private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final FileAttribute<Set<PosixFilePermission>> FILE_ATTRIBUTE = PosixFilePermissions.asFileAttribute(FILE);

  private final Path root;

  public CliHome(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public Path profile() {
    return root.resolve("profile.json");
  }

  public Path keys() {
    return root.resolve("keys");
  }

  public Path privateKey() {
    return keys().resolve("id_ed25519");
  }

  public Path publicKey() {
    return keys().resolve("id_ed25519.pub");
  }

  /** Beside the private key under the name ssh and ssh-add look for. */
  public Path certificate() {
    return keys().resolve("id_ed25519-cert.pub");
  }

  public Path knownHosts() {
    return root.resolve("known_hosts");
  }

  /** The signed-in profile, or empty when there is none. */
  public Optional<Profile> readProfile() {
    String json;
    try {
      json = Files.readString(profile(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw CliFailure.failure("cannot read " + profile() + ": " + e.getMessage());
    }
    try {
      return Optional.of(Profile.fromJson(json, profile().toString()));
    } catch (IllegalArgumentException | CliFailure e) {
      throw CliFailure.failure(e.getMessage() + " (run portcullis login --proxy URL again to replace it)");
    }
  }

  /** The profile, or the failure every command gives when there is none. */
  public Profile requireProfile() {
    return readProfile().orElseThrow(() -> CliFailure.failure("not logged in: run portcullis login --proxy URL"));
  }

  /** Creates the directories (0700), tightening their modes if they exist. */
  public void prepare() throws IOException {
    for (Path directory : List.of(root, keys())) {
      if (Files.isSymbolicLink(directory)) {
        throw new IOException(directory + " is a symbolic link (expected: a directory the CLI owns)");
      }
      Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
      if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(directory + " is not a directory");
      }
      Files.setPosixFilePermissions(directory, DIRECTORY);
    }
  }

  public void writeProfile(Profile profile) throws IOException {
    write(profile(), profile.toJson().getBytes(StandardCharsets.UTF_8));
  }

  /** Replaces {@code file} (inside this directory) atomically with {@code content}, mode 0600. */
  public void write(Path file, byte[] content) throws IOException {
    Path directory = file.getParent();
    Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp", FILE_ATTRIBUTE);
    try {
      Files.write(temporary, content);
      Files.setPosixFilePermissions(temporary, FILE);
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  public void writeLines(Path file, List<String> lines) throws IOException {
    write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Deletes the profile, key pair and certificate. known_hosts (public keys only) and the directories stay, so an
   * ssh_config that points here fails on the missing key, with an error that says so, not on host trust.
   */
  public List<Path> deleteCredentials() throws IOException {
    List<Path> deleted = new ArrayList<>();
    for (Path file : List.of(privateKey(), publicKey(), certificate(), profile())) {
      if (Files.deleteIfExists(file)) {
        deleted.add(file);
      }
    }
    return List.copyOf(deleted);
  }
}
