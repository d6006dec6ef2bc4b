package dev.portcullis.policy;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.AppConfig;
import dev.portcullis.config.PortcullisConfig;
import dev.portcullis.config.RoleConfig;
import dev.portcullis.identity.Identity;
import dev.portcullis.policy.internal.AppGrant;
import dev.portcullis.policy.internal.CompiledApp;
import dev.portcullis.policy.internal.CompiledRole;
import dev.portcullis.policy.internal.CompiledRule;
import dev.portcullis.policy.internal.EvaluationContext;
import dev.portcullis.policy.internal.NodeDecisions;
import dev.portcullis.policy.internal.Outcome;
import dev.portcullis.policy.internal.RequestPath;
import dev.portcullis.policy.internal.RoleMapper;
import dev.portcullis.policy.internal.UserSshRoles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The policy compiled from one configuration: roles with label selectors and login templates, role
 * mappings, and app rules with CEL programs and CIDRs. Immutable and thread-safe; build a new one on
 * reload and hand it to {@link PolicyEngine#update}.
 */
public final class PolicySnapshot {
  private final PortcullisConfig config;
  private final RoleMapper mapper;
  /**
   * The last mapping each thread computed. A session's requests carry the same immutable Identity
   * instance, so a network thread serving them asks for the same mapping again and again; comparing
   * by reference keeps the answer exact.
   */
  private final ThreadLocal<MappedRoles> lastMapping = new ThreadLocal<>();
  /** The last user-and-app verdict each thread computed, for the same reason (see {@link AppGrant}). */
  private final ThreadLocal<AppGrant> lastGrant = new ThreadLocal<>();

  private record MappedRoles(Identity identity, RoleMapper.Result result) {}
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

  /**
   * The logins {@code identity} may use on {@code node}, sorted: the logins (templates expanded) of the
   * roles whose {@code allow.node_labels} match the node, minus every login a role denies; empty when a
   * role's {@code deny.node_labels} match the node. This is what the node's principals command answers.
   */
  public List<String> loginsFor(Identity identity, NodeResource node) {
    requireNonNull(node, "node");
    return sshRoles(requireNonNull(identity, "identity"), mapper.map(identity)).loginsOn(node);
  }

  /**
   * Whether {@code login} on {@code node} comes with sudo: some role grants the node and that login and
   * has {@code sudo: true}, and no role denies the node or the login.
   */
  public boolean sudoFor(Identity identity, NodeResource node, String login) {
    requireNonNull(node, "node");
    requireNonNull(login, "login");
    return sshRoles(requireNonNull(identity, "identity"), mapper.map(identity)).sudo(node, login);
  }

  /** What SSH certificate {@code identity} may receive: principals, TTL, forwarding, with reasons. */
  public SshGrant sshGrant(Identity identity) {
    RoleMapper.Result mapped = mapper.map(requireNonNull(identity, "identity"));
    UserSshRoles ssh = sshRoles(identity, mapped);
    List<Reason> reasons = new ArrayList<>(mapped.reasons());
    boolean port = false;
    boolean agent = false;
    boolean x11 = false;
    for (UserSshRoles.Expanded role : ssh.roles()) {
      if (!role.logins().isEmpty()) {
        reasons.add(new Reason(Reason.LOGIN_GRANT, "role " + role.role().name() + " grants logins "
            + List.copyOf(role.logins())));
      }
      if (!role.deniedLogins().isEmpty()) {
        reasons.add(new Reason(Reason.LOGIN_DENY, "role " + role.role().name() + " denies logins "
            + List.copyOf(role.deniedLogins())));
      }
      port |= role.role().options().portForwarding();
      agent |= role.role().options().agentForwarding();
      x11 |= role.role().options().x11Forwarding();
    }
    ssh.dropped().forEach(note -> reasons.add(new Reason(Reason.LOGIN_DROPPED, note)));
    List<String> logins = ssh.allLogins();
    if (logins.isEmpty()) {
      String detail;
      if (mapped.roles().isEmpty()) {
        detail = "user " + identity.username() + " has no roles: no role mapping matched";
      } else if (ssh.roles().stream().allMatch(r -> r.role().logins().isEmpty())) {
        detail = "roles " + mapped.roles() + " of user " + identity.username() + " grant no SSH logins";
      } else {
        detail = "roles " + mapped.roles() + " of user " + identity.username()
            + " leave no SSH login: each one is denied or not a valid login";
      }
      reasons.add(new Reason(Reason.NO_LOGINS, detail));
    }
    return new SshGrant(mapped.roles(), logins, maxSessionTtl(mapped.roles()), port, agent, x11, reasons);
  }

  Decision decide(AccessRequest request) {
    return switch (request.resource()) {
      case AppResource app -> decideApp(request, app);
      case NodeResource node -> decideNode(request, node);
    };
  }

  private Decision decideNode(AccessRequest request, NodeResource node) {
    if (request.identity().isEmpty()) {
      return deny(List.of(), Reason.USER_UNAUTHENTICATED, "node " + node.name() + " requires sign-in");
    }
    Identity identity = request.identity().get();
    RoleMapper.Result mapped = mapper.map(identity);
    return NodeDecisions.decide(mapped, sshRoles(identity, mapped), identity, node, request.login());
  }

  private RoleMapper.Result mappedRoles(Identity identity) {
    MappedRoles last = lastMapping.get();
    if (last != null && last.identity() == identity) {
      return last.result();
    }
    RoleMapper.Result result = mapper.map(identity);
    lastMapping.set(new MappedRoles(identity, result));
    return result;
  }

  private UserSshRoles sshRoles(Identity identity, RoleMapper.Result mapped) {
    return UserSshRoles.expand(knownRoles(mapped), identity);
  }

  /** The compiled roles among {@code mapped}'s, in its order; names no role has are skipped. */
  private List<CompiledRole> knownRoles(RoleMapper.Result mapped) {
    List<CompiledRole> userRoles = new ArrayList<>(mapped.roles().size());
    for (String name : mapped.roles()) {
      CompiledRole role = roles.get(name);
      if (role != null) {
        userRoles.add(role);
      }
    }
    return userRoles;
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
    AppGrant grant = appGrant(identity, app, resource);
    if (grant.denial() != null) {
      return grant.denial();
    }
    return applyRules(app, new EvaluationContext(identity, grant.roles(), resource, request.method(), path,
        request.sourceAddress(), request.time()), grant);
  }

  /** The roles' verdict on {@code app} for {@code identity}, reused while a thread serves the same user and app. */
  private AppGrant appGrant(Identity identity, CompiledApp app, AppResource resource) {
    AppGrant last = lastGrant.get();
    if (last != null && last.isFor(identity, resource, app)) {
      return last;
    }
    RoleMapper.Result mapped = mappedRoles(identity);
    AppGrant grant = AppGrant.evaluate(identity, mapped, knownRoles(mapped), app, resource);
    lastGrant.set(grant);
    return grant;
  }

  private static Decision applyRules(CompiledApp app, EvaluationContext context, AppGrant grant) {
    for (CompiledRule rule : app.deny()) {
      switch (rule.test(context)) {
        case Outcome.Match m -> {
          return deny(grant.reasons(), Reason.RULE_DENY, "app rule " + rule.label() + " matched: " + rule.describe());
        }
        case Outcome.Failed f -> {
          return deny(grant.reasons(), Reason.RULE_DENY, "app rule " + rule.label() + " could not be evaluated and"
              + " counts as a match (fail closed): " + f.error());
        }
        case Outcome.NoMatch n -> { }
      }
    }
    List<CompiledRule> allowRules = app.allow();
    if (allowRules.isEmpty()) {
      return grant.allowWithoutRules();
    }
    List<String> failures = null;
    for (int i = 0; i < allowRules.size(); i++) {
      CompiledRule rule = allowRules.get(i);
      switch (rule.test(context)) {
        case Outcome.Match m -> {
          return grant.allowBy(i);
        }
        case Outcome.Failed f -> {
          if (failures == null) {
            failures = new ArrayList<>();
          }
          failures.add(rule.label() + " could not be evaluated and counts as no match: " + f.error());
        }
        case Outcome.NoMatch n -> { }
      }
    }
    return deny(grant.reasons(), Reason.NO_RULE_MATCHED, "no allow rule of app " + app.name() + " matched"
        + (failures == null ? "" : "; " + String.join("; ", failures)));
  }

  private static Decision deny(List<Reason> reasons, String code, String detail) {
    return AppGrant.deny(reasons, code, detail);
  }
}
