package dev.portcullis.store;

/** The storage backend failed (unreachable, full, corrupt); the operation may or may not have happened. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
