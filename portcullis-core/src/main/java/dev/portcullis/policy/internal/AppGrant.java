package dev.portcullis.policy.internal;

import dev.portcullis.identity.Identity;
import dev.portcullis.policy.AppResource;
import dev.portcullis.policy.Decision;
import dev.portcullis.policy.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * What one user's roles say about one app: a role denies it, no role grants it, or it is granted, with the
 * reasons so far. The allow decisions that follow are built on first use and then shared, so an allowed
 * request does not rebuild its reason texts; only the app rules run again, since they look at the request.
 */
public final class AppGrant {

  private final Identity identity;
  private final AppResource resource;
  private final CompiledApp app;
  private final List<String> roles;
  private final List<Reason> reasons;
  private final Decision.Deny denial;
  /** Index i: allow rule i matched; the last index: the app has no allow rules. */
  private final Decision.Allow[] allows;

  private AppGrant(Identity identity, AppResource resource, CompiledApp app, List<String> roles,
      List<Reason> reasons, Decision.Deny denial) {
    this.identity = identity;
    this.resource = resource;
    this.app = app;
    this.roles = roles;
    this.reasons = reasons;
    this.denial = denial;
    this.allows = new Decision.Allow[app.allow().size() + 1];
  }

  /**
   * Checks the roles of {@code identity} (from {@code mapped}; {@code userRoles} are the known ones among them,
   * in the same order) against {@code resource}, the resource of {@code app}: deny labels first, then allow.
   */
  public static AppGrant evaluate(Identity identity, RoleMapper.Result mapped, List<CompiledRole> userRoles,
      CompiledApp app, AppResource resource) {
    List<Reason> reasons = new ArrayList<>(mapped.reasons());
    for (CompiledRole role : userRoles) {
      if (role.deny().matches(resource.labels())) {
        return new AppGrant(identity, resource, app, mapped.roles(), List.copyOf(reasons),
            deny(reasons, Reason.ROLE_DENY, "role " + role.name() + " denies app " + app.name() + " by "
                + role.deny().describeMatch(resource.labels())));
      }
    }
    boolean granted = false;
    for (CompiledRole role : userRoles) {
      if (role.allow().matches(resource.labels())) {
        granted = true;
        reasons.add(new Reason(Reason.ROLE_ALLOW, "role " + role.name() + " allows app " + app.name() + " by "
            + role.allow().describeMatch(resource.labels())));
      }
    }
    Decision.Deny denial = null;
    if (!granted) {
      String detail = mapped.roles().isEmpty()
          ? "user " + identity.username() + " has no roles: no role mapping matched"
          : "roles " + mapped.roles() + " of user " + identity.username() + " grant no access to app " + app.name()
              + " (labels " + LabelSelector.describe(resource.labels()) + ")";
      denial = deny(reasons, Reason.NO_ROLE_GRANTS_APP, detail);
    }
    return new AppGrant(identity, resource, app, mapped.roles(), List.copyOf(reasons), denial);
  }

  /**
   * Whether this grant answers for {@code identity} on {@code resource} of {@code app}. Identities, resources and
   * compiled apps are immutable, and one session's requests carry the same instances, so sameness is exact.
   */
  public boolean isFor(Identity identity, AppResource resource, CompiledApp app) {
    return this.identity == identity && this.resource == resource && this.app == app;
  }

  /** The user's roles, sorted. */
  public List<String> roles() {
    return roles;
  }

  /** The mapping and role-allow reasons (up to the role that denied, if one did). */
  public List<Reason> reasons() {
    return reasons;
  }

  /** The denial when the roles refuse the app (a role's deny labels, or no role's allow labels), else null. */
  public Decision.Deny denial() {
    return denial;
  }

  /** The decision when the roles grant the app and it has no allow rules. */
  public Decision.Allow allowWithoutRules() {
    int slot = allows.length - 1;
    Decision.Allow allow = allows[slot];
    if (allow == null) {
      allow = new Decision.Allow(roles, reasons);
      allows[slot] = allow;
    }
    return allow;
  }

  /** The decision when the roles grant the app and its allow rule {@code index} matched. */
  public Decision.Allow allowBy(int index) {
    Decision.Allow allow = allows[index];
    if (allow == null) {
      CompiledRule rule = app.allow().get(index);
      List<Reason> all = new ArrayList<>(reasons);
      all.add(new Reason(Reason.RULE_ALLOW, "app rule " + rule.label() + " matched: " + rule.describe()));
      allow = new Decision.Allow(roles, all);
      allows[index] = allow;
    }
    return allow;
  }

  /** {@code reasons} followed by one more, as a denial. */
  public static Decision.Deny deny(List<Reason> reasons, String code, String detail) {
    List<Reason> all = new ArrayList<>(reasons);
    all.add(new Reason(code, detail));
    return new Decision.Deny(all);
  }
}
