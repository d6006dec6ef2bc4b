package dev.portcullis.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** The answer to an {@link AccessRequest}: allow or deny, always with reasons. */
public sealed interface Decision permits Decision.Allow, Decision.Deny {

  /** Why, in the order the policy found it; never empty. */
  List<Reason> reasons();

  default boolean allowed() {
    return this instanceof Allow;
  }

  /**
   * Access is granted.
   *
   * @param roles all roles of the user, sorted; empty for public apps and paths
   * @param reasons the mappings, roles and rule that allowed
   */
  record Allow(List<String> roles, List<Reason> reasons) implements Decision {
    public Allow {
      roles = List.copyOf(requireNonNull(roles, "roles"));
      reasons = nonEmpty(reasons);
    }
  }

  /**
   * Access is refused.
   *
   * @param reasons what refused it
   */
  record Deny(List<Reason> reasons) implements Decision {
    public Deny {
      reasons = nonEmpty(reasons);
    }
  }

  private static List<Reason> nonEmpty(List<Reason> reasons) {
    List<Reason> copy = List.copyOf(requireNonNull(reasons, "reasons"));
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("reasons: [] (expected: at least one reason)");
    }
    return copy;
  }
}
