package dev.portcullis.policy.internal;

import dev.portcullis.config.RoleMappingConfig;
import dev.portcullis.identity.Identity;
import dev.portcullis.policy.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Applies {@code role_mappings} to an identity: which roles it gets, and which mappings gave them. */
public final class RoleMapper {
  /** The roles, sorted and distinct, and one {@code mapping} reason per mapping that matched. */
  public record Result(List<String> roles, List<Reason> reasons) {}

  private record Mapping(
      int index,
      Set<String> groups,
      Set<String> emailDomains,
      String claim,
      Set<String> values,
      List<String> roles,
      String described) {

    boolean matches(Identity identity) {
      if (!groups.isEmpty() && identity.groups().stream().noneMatch(groups::contains)) {
        return false;
      }
      if (!emailDomains.isEmpty() && !emailDomains.contains(identity.emailDomain())) {
        return false;
      }
      if (claim != null) {
        Object value = identity.claims().get(claim);
        return value != null && ClaimValues.anyMatches(value, values);
      }
      return true;
    }
  }

  private final List<Mapping> mappings;

  public RoleMapper(List<RoleMappingConfig> configs) {
    List<Mapping> compiled = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      RoleMappingConfig c = configs.get(i);
      List<String> conditions = new ArrayList<>();
      if (!c.groups().isEmpty()) conditions.add("groups " + c.groups());
      if (!c.emailDomains().isEmpty()) conditions.add("email_domains " + c.emailDomains());
      c.claim().ifPresent(claim -> conditions.add("claim " + claim + " in " + c.values()));
      if (c.everyone()) conditions.add("everyone");
      compiled.add(new Mapping(i, Set.copyOf(c.groups()), Set.copyOf(c.emailDomains()), c.claim().orElse(null),
          Set.copyOf(c.values()), c.roles(), String.join(", ", conditions)));
    }
    this.mappings = List.copyOf(compiled);
  }

  public Result map(Identity identity) {
    TreeSet<String> roles = new TreeSet<>();
    List<Reason> reasons = new ArrayList<>();
    for (Mapping mapping : mappings) {
      if (mapping.matches(identity)) {
        roles.addAll(mapping.roles());
        reasons.add(new Reason(Reason.MAPPING, "role_mappings[" + mapping.index() + "] grants " + mapping.roles()
            + " to user " + identity.username() + ": " + mapping.described()));
      }
    }
    return new Result(List.copyOf(roles), List.copyOf(reasons));
  }
}
