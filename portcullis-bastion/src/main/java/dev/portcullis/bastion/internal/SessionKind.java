package dev.portcullis.bastion.internal;

/** What a session channel asked for. */
enum SessionKind {
  SHELL("shell"), EXEC("exec"), SUBSYSTEM("subsystem");

  private final String id;

  SessionKind(String id) {
    this.id = id;
  }

  /** The name in session records and audit events. */
  String id() {
    return id;
  }
}
