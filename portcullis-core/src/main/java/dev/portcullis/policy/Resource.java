package dev.portcullis.policy;

import java.util.Map;

/** What an {@link AccessRequest} is for. Apps come first; SSH nodes and other kinds join this set later. */
public sealed interface Resource permits AppResource {
  /** The resource's unique name within its kind. */
  String name();

  /** The labels that roles match on. */
  Map<String, String> labels();

  /** The kind and name for audit events, for example {@code app:whoami}. */
  String id();
}
