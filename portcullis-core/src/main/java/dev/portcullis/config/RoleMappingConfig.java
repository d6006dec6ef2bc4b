package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import java.util.List;
import java.util.Optional;

/**
 * Maps facts from the identity provider to roles. Every condition present must hold: the user is in
 * one of {@code groups}, their email domain is one of {@code emailDomains}, {@code claim} has one of
 * {@code values} (compared as a string, or any element of a string array), and {@code everyone} matches
 * every signed-in user.
 *
 * @param groups the user is in any of these groups
 * @param emailDomains the user's email domain is one of these (lower case)
 * @param claim a claim name, given together with {@code values}
 * @param values the accepted values of {@code claim}
 * @param everyone true to match every signed-in user
 * @param roles the roles granted; each must be defined
 */
public record RoleMappingConfig(
    List<String> groups,
    List<String> emailDomains,
    Optional<String> claim,
    List<String> values,
    boolean everyone,
    List<String> roles) {

  public RoleMappingConfig {
    groups = Check.texts(groups, "groups", "a group name");
    emailDomains = EmailDomains.normalize(emailDomains, "email_domains");
    claim = claim == null ? Optional.empty() : claim;
    claim.ifPresent(c -> Check.text(c, "claim", "a claim name"));
    values = Check.list(values, "values");
    if (claim.isPresent() && values.isEmpty()) {
      throw Check.invalid("values", "missing (expected: the accepted values of claim " + Check.quote(claim.get()) + ")");
    }
    if (claim.isEmpty() && !values.isEmpty()) {
      throw Check.invalid("claim", "missing (expected: the claim whose values are listed)");
    }
    if (groups.isEmpty() && emailDomains.isEmpty() && claim.isEmpty() && !everyone) {
      throw Check.invalid(List.of(), "has no condition (expected: groups, email_domains, claim with values,"
          + " or everyone: true)");
    }
    roles = Check.texts(roles, "roles", "a role name");
    Check.that(!roles.isEmpty(), "roles", () -> "missing (expected: at least one role name)");
  }
}
