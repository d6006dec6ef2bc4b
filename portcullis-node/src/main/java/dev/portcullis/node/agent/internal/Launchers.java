package dev.portcullis.node.agent.internal;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.CodeSource;
import java.util.Optional;
import java.util.Set;

/**
 * The program sshd runs as {@code AuthorizedPrincipalsCommand}. Whatever it prints decides who may log in as
 * whom, so like sshd itself ({@code safe_path}) the agent insists that it, the Java runtime and the jar it
 * runs, and every directory above them, are owned by root and writable by no one else.
 */
public final class Launchers {

  /** The class that runs {@code node ...} on its own; see NodeCommand#main. */
  public static final String NODE_MAIN = "dev.portcullis.node.agent.NodeCommand";
  /** Start-up options: the principals command runs once per login attempt, so it must start fast. */
  private static final String JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto";

  private Launchers() {}

  /**
   * The launcher script for this Java runtime and the jar this class was loaded from.
   *
   * @throws IOException if this code does not run from a jar, or the runtime or jar is not root-owned and safe
   */
  public static String scriptForThisJar() throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
    Path jar = thisJar().orElseThrow(() -> new IOException("cannot tell which jar runs portcullis (it was not"
        + " started with java -jar or -cp JAR); pass --launcher with the path of a root-owned portcullis command"));
    requireRootOwned("the Java runtime", java);
    requireRootOwned("the portcullis jar", jar);
    SshdConfigs.requirePlainPath("the Java runtime", java);
    SshdConfigs.requirePlainPath("the portcullis jar", jar);
    return "#!/bin/sh\n"
        + "# Written by `portcullis node join`: sshd runs it as AuthorizedPrincipalsCommand, as `node principals`.\n"
        + "# It, the jar and the Java runtime must stay owned by root and writable by nobody else.\n"
        + "exec " + java + " " + JVM_OPTIONS + " -cp " + jar + " " + NODE_MAIN + " \"$@\"\n";
  }

  /**
   * Refuses {@code path} unless it and every directory above it are owned by root and not writable by group or
   * others, after resolving links (as sshd checks the command it runs).
   */
  public static void requireRootOwned(String what, Path path) throws IOException {
    Path real;
    try {
      real = path.toRealPath();
    } catch (IOException e) {
      throw new IOException(what + " " + path + " does not exist");
    }
    for (Path current = real; current != null; current = current.getParent()) {
      int uid = (Integer) Files.getAttribute(current, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(current, LinkOption.NOFOLLOW_LINKS);
      boolean writableByOthers = mode.contains(PosixFilePermission.GROUP_WRITE)
          || mode.contains(PosixFilePermission.OTHERS_WRITE);
      if (uid != 0 || writableByOthers) {
        throw new IOException(what + " " + path + " is not safe for sshd to run: " + current
            + (uid != 0 ? " is owned by uid " + uid : " is writable by group or others")
            + " (expected: owned by root and writable only by root, all the way up to /; anyone who can change it"
            + " could log in as any user)");
      }
    }
  }

  private static Optional<Path> thisJar() {
    CodeSource source = Launchers.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return Optional.empty();
    }
    try {
      Path location = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(location) && location.getFileName().toString().endsWith(".jar")
          ? Optional.of(location) : Optional.empty();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
