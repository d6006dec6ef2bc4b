package dev.portcullis.policy.internal;

/** One condition of an app rule, such as {@code groups} or {@code path_prefixes}. */
public interface Criterion {

  /** Tests the request. Must not throw and must not do I/O: it runs on every proxied request. */
  Outcome test(EvaluationContext context);

  /** The criterion as configured, for reasons: {@code path_prefixes [/admin]}. */
  String describe();

  /** Whether this criterion is expensive (CEL); rules test cheap criteria first. */
  default boolean costly() {
    return false;
  }
}
