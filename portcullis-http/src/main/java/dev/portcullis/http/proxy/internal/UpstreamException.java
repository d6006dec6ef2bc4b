package dev.portcullis.http.proxy.internal;

/** An upstream failure with the status and short reason the client receives; no stack trace is kept. */
public final class UpstreamException extends RuntimeException {

  private final int status;

  public UpstreamException(int status, String reason, Throwable cause) {
    super(reason, cause, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
