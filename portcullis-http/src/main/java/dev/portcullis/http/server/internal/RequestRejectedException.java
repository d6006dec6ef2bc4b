package dev.portcullis.http.server.internal;

/**
 * A client request the server refuses before asking the gate, with the status and the short reason sent back.
 * It carries no stack trace: it is control flow, and the reason is all anyone needs.
 */
public final class RequestRejectedException extends RuntimeException {

  private final int status;

  public RequestRejectedException(int status, String reason) {
    super(reason, null, false, false);
    this.status = status;
  }

  public static RequestRejectedException badRequest(String reason) {
    return new RequestRejectedException(400, reason);
  }

  public int status() {
    return status;
  }

  public String reason() {
    return getMessage();
  }
}
