package dev.portcullis.node.agent.internal;

import java.io.IOException;

/**
 * The Portcullis server answered with an error status. {@link #error()} is its stable code, such as
 * {@code invalid-token}; the message shows the server's text only after stripping control characters.
 */
public final class ApiException extends IOException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;

  public ApiException(int status, String error, String serverMessage) {
    super("HTTP " + status + (error == null ? "" : " " + NodeSettings.printable(error))
        + (serverMessage == null ? "" : ": " + NodeSettings.printable(serverMessage)));
    this.status = status;
    this.error = error;
  }

  public int status() {
    return status;
  }

  /** The server's error code, or null when the body was not the API's error format. */
  public String error() {
    return error;
  }
}
