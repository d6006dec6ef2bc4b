package dev.portcullis.policy;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.AppConfig;
import dev.portcullis.config.PortcullisConfig;
import dev.portcullis.config.RoleConfig;
import dev.portcullis.identity.Identity;
import dev.portcullis.policy.internal.CompiledApp;
import dev.portcullis.policy.internal.CompiledRole;
import dev.portcullis.policy.internal.CompiledRule;
import dev.portcullis.policy.internal.EvaluationContext;
import dev.portcullis.policy.internal.Outcome;
import dev.portcullis.policy.internal.RequestPath;
import dev.portcullis.policy.internal.RoleMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The policy compiled from one configuration: roles with label selectors, role mappings, and app rules
 * with CEL programs and CIDRs. Immutable and thread-safe; build a new one on reload and hand it to
 * {@link PolicyEngine#update}.
 */
public final class PolicySnapshot {
  private final PortcullisConfig config;
  private final RoleMapper mapper;
  private final Map<String, CompiledRole> roles;
  private final Map<String, CompiledApp> apps;

  private PolicySnapshot(PortcullisConfig config) {
    this.config = config;
    this.mapper = new RoleMapper(config.roleMappings());
    Map<String, CompiledRole> compiledRoles = new HashMap<>();
    for (RoleConfig role : config.roles()) {
      compiledRoles.put(role.name(), CompiledRole.compile(role));
    }
    this.roles = Map.copyOf(compiledRoles);
    Map<String, CompiledApp> compiledApps = new HashMap<>();
    for (AppConfig app : config.apps()) {
      compiledApps.put(app.name(), CompiledApp.compile(app));
    }
    this.apps = Map.copyOf(compiledApps);
  }

  /** Compiles {@code config}. A config from {@link dev.portcullis.config.ConfigLoader} always compiles. */
  public static PolicySnapshot of(PortcullisConfig config) {
    return new PolicySnapshot(requireNonNull(config, "config"));
  }

  public PortcullisConfig config() {
    return config;
  }

  /** The roles the role mappings give {@code identity}, sorted and distinct. */
  public List<String> rolesFor(Identity identity) {
    return mapper.map(requireNonNull(identity, "identity")).roles();
  }

  /** The shortest {@code max_session_ttl} among {@code roleNames}; empty when none is a known role. */
  public Optional<Duration> maxSessionTtl(Collection<String> roleNames) {
    return roleNames.stream().map(roles::get).filter(r -> r != null)
        .map(r -> r.options().maxSessionTtl()).min(Duration::compareTo);
  }

  Decision decide(AccessRequest request) {
    return switch (request.resource()) {
      case AppResource app -> decideApp(request, app);
    };
  }

  private Decision decideApp(AccessRequest request, AppResource resource) {
    CompiledApp app = apps.get(resource.name());
    if (app == null) {
      return deny(List.of(), Reason.APP_UNKNOWN, "app " + resource.name() + " is not in the configuration");
    }
    if (app.publicApp()) {
      return new Decision.Allow(List.of(), List.of(new Reason(Reason.PUBLIC_APP, "app " + app.name() + " is public")));
    }
    RequestPath path = RequestPath.of(request.path());
    if (app.publicPaths().isPresent()) {
      String prefix = app.publicPaths().get().matches(path);
      if (prefix != null) {
        return new Decision.Allow(List.of(), List.of(new Reason(Reason.PUBLIC_PATH,
            "path " + path.normalized() + " is under public path " + prefix + " of app " + app.name())));
      }
    }
    if (request.identity().isEmpty()) {
      return deny(List.of(), Reason.USER_UNAUTHENTICATED, "app " + app.name() + " requires sign-in");
    }
    Identity identity = request.identity().get();
    RoleMapper.Result mapped = mapper.map(identity);
    List<Reason> reasons = new ArrayList<>(mapped.reasons());

    List<CompiledRole> userRoles = mapped.roles().stream().map(roles::get).filter(r -> r != null).toList();
    for (CompiledRole role : userRoles) {
      if (role.deny().matches(resource.labels())) {
        return deny(reasons, Reason.ROLE_DENY, "role " + role.name() + " denies app " + app.name() + " by "
            + role.deny().describeMatch(resource.labels()));
      }
    }
    for (CompiledRole role : userRoles) {
      if (role.allow().matches(resource.labels())) {
        reasons.add(new Reason(Reason.ROLE_ALLOW, "role " + role.name() + " allows app " + app.name() + " by "
            + role.allow().describeMatch(resource.labels())));
      }
    }
    if (reasons.stream().noneMatch(r -> r.code().equals(Reason.ROLE_ALLOW))) {
      String detail = mapped.roles().isEmpty()
          ? "user " + identity.username() + " has no roles: no role mapping matched"
          : "roles " + mapped.roles() + " of user " + identity.username() + " grant no access to app " + app.name()
              + " (labels " + labelText(resource.labels()) + ")";
      return deny(reasons, Reason.NO_ROLE_GRANTS_APP, detail);
    }
    return applyRules(app, new EvaluationContext(identity, mapped.roles(), resource, request.method(), path,
        request.sourceAddress(), request.time()), mapped.roles(), reasons);
  }

  private static Decision applyRules(CompiledApp app, EvaluationContext context, List<String> roles,
      List<Reason> reasons) {
    for (CompiledRule rule : app.deny()) {
      switch (rule.test(context)) {
        case Outcome.Match m -> {
          return deny(reasons, Reason.RULE_DENY, "app rule " + rule.label() + " matched: " + rule.describe());
        }
        case Outcome.Failed f -> {
          return deny(reasons, Reason.RULE_DENY, "app rule " + rule.label() + " could not be evaluated and counts"
              + " as a match (fail closed): " + f.error());
        }
        case Outcome.NoMatch n -> { }
      }
    }
    if (app.allow().isEmpty()) {
      return new Decision.Allow(roles, reasons);
    }
    List<String> failures = new ArrayList<>();
    for (CompiledRule rule : app.allow()) {
      switch (rule.test(context)) {
        case Outcome.Match m -> {
          reasons.add(new Reason(Reason.RULE_ALLOW, "app rule " + rule.label() + " matched: " + rule.describe()));
          return new Decision.Allow(roles, reasons);
        }
        case Outcome.Failed f -> failures.add(rule.label() + " could not be evaluated and counts as no match: "
            + f.error());
        case Outcome.NoMatch n -> { }
      }
    }
    return deny(reasons, Reason.NO_RULE_MATCHED, "no allow rule of app " + app.name() + " matched"
        + (failures.isEmpty() ? "" : "; " + String.join("; ", failures)));
  }

  private static Decision deny(List<Reason> reasons, String code, String detail) {
    List<Reason> all = new ArrayList<>(reasons);
    all.add(new Reason(code, detail));
    return new Decision.Deny(all);
  }

  private static String labelText(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return "none";
    }
    List<String> pairs = new ArrayList<>();
    labels.keySet().stream().sorted().forEach(key -> pairs.add(key + "=" + labels.get(key)));
    return String.join(", ", pairs);
  }
}
