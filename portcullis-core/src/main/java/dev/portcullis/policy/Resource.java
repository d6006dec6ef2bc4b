package dev.portcullis.policy;

import java.util.Map;

/** What an {@link AccessRequest} is for: a web app or an SSH node; other kinds join this set later. */
public sealed interface Resource permits AppResource, NodeResource {
  /** The resource's unique name within its kind. */
  String name();

  /** The labels that roles match on. */
  Map<String, String> labels();

  /** The kind and name for audit events, for example {@code app:whoami} or {@code node:web-1}. */
  String id();
}
