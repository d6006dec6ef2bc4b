package dev.portcullis.cli.internal;

/**
 * A command failed for a reason the user can act on. Its message is shown as is (never a stack trace) and
 * its exit code is returned: {@link #FAILURE} or {@link #USAGE}.
 */
public class CliFailure extends RuntimeException {

  public static final int FAILURE = 1;
  public static final int USAGE = 2;

  private final int exitCode;

  CliFailure(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Something went wrong at run time: the server said no, the network failed, the files are missing. */
  public static CliFailure failure(String message) {
    return new CliFailure(message, FAILURE, null);
  }

  public static CliFailure failure(String message, Throwable cause) {
    return new CliFailure(message, FAILURE, cause);
  }

  /** The command line itself cannot work: a bad option value, or a needed input that cannot be had. */
  public static CliFailure usage(String message) {
    return new CliFailure(message, USAGE, null);
  }

  public int exitCode() {
    return exitCode;
  }
}
