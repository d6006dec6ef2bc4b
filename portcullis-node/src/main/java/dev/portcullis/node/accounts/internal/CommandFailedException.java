package dev.portcullis.node.accounts.internal;

import java.io.IOException;

/** A host command that exited with a code its caller does not accept; the message carries its stderr. */
public final class CommandFailedException extends IOException {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  public CommandFailedException(String command, int exitCode, String stderr) {
    super(command + " exited with " + exitCode + (stderr.isBlank() ? "" : ": " + stderr.strip()));
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
