package dev.portcullis.testing.openssh;

import dev.portcullis.testing.RealComponents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds Debian's OpenSSH: skips tests locally when it is missing, fails them in CI. */
public final class RealOpenSsh {

  public static final Path SSHD = Path.of("/usr/sbin/sshd");
  public static final Path SSH = Path.of("/usr/bin/ssh");
  public static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
  public static final Path SSH_AGENT = Path.of("/usr/bin/ssh-agent");
  /** sshd refuses to start without its privilege separation directory. */
  private static final Path PRIVSEP_DIR = Path.of("/run/sshd");

  private RealOpenSsh() {}

  /** Call from {@code @BeforeAll}: every OpenSSH test needs the binaries, root, and /run/sshd. */
  public static void requireOrSkip() {
    boolean binaries = Files.isExecutable(SSHD) && Files.isExecutable(SSH) && Files.isExecutable(SSH_KEYGEN)
        && Files.isExecutable(SSH_AGENT);
    RealComponents.requireOrSkip(binaries,
        "Debian's OpenSSH server and client (/usr/sbin/sshd, /usr/bin/ssh; run .ci/openssh.sh as root)");
    // A throwaway sshd can only log users in (and use /run/sshd) when it runs as root.
    RealComponents.requireOrSkip("root".equals(System.getProperty("user.name")),
        "root, to run a throwaway sshd (the tests log in as root through a certificate)");
    RealComponents.requireOrSkip(privsepDirectory(), "the directory " + PRIVSEP_DIR + " for sshd");
  }

  private static boolean privsepDirectory() {
    try {
      Files.createDirectories(PRIVSEP_DIR);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
