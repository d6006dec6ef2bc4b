package dev.portcullis.policy.internal;

/**
 * Whether a rule grants or refuses. Criteria that read an ambiguous input (a path that an upstream
 * could decode differently) resolve the ambiguity against the user: a granting criterion must hold for
 * every reading, a refusing one for any.
 */
public enum Effect {
  ALLOW,
  DENY
}
