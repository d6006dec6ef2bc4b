package dev.portcullis.server.cli;

/** A command failure whose message is shown to the user as is, with the exit code to return. */
final class CliException extends RuntimeException {
  private final int exitCode;

  CliException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  CliException(String message) {
    this(message, 2);
  }

  int exitCode() {
    return exitCode;
  }
}
