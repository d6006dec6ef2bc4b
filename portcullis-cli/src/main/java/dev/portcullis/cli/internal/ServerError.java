package dev.portcullis.cli.internal;

/**
 * The Portcullis server answered with an error ({@code {"error": code, "message": text}}). The message shown
 * to the user is the server's own, with its stable code and the HTTP status.
 */
public final class ServerError extends CliFailure {

  private final int status;
  private final String code;
  private final String serverMessage;

  ServerError(String what, int status, String code, String serverMessage) {
    super(what + ": " + (serverMessage.isEmpty() ? "the server refused" : serverMessage)
        + " (" + (code.isEmpty() ? "no error code" : code) + ", HTTP " + status + ")", FAILURE, null);
    this.status = status;
    this.code = code;
    this.serverMessage = serverMessage;
  }

  public int status() {
    return status;
  }

  /** The stable error code, such as {@code totp-required}; empty when the server sent none. */
  public String code() {
    return code;
  }

  /** The server's human text; empty when it sent none. */
  public String serverMessage() {
    return serverMessage;
  }
}
