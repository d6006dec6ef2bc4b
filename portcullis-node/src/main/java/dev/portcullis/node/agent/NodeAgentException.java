package dev.portcullis.node.agent;

/**
 * A node operation that could not be done, with a message written for the admin at the terminal: what went
 * wrong, what state the host is left in, and what to do next. It never contains a token or credential.
 */
public final class NodeAgentException extends Exception {

  private static final long serialVersionUID = 1L;

  public NodeAgentException(String message) {
    super(message);
  }

  public NodeAgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
