package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import dev.portcullis.config.internal.Violations;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rules that span sections of the file: unique names, and role mappings that name real roles. */
final class CrossChecks {
  private CrossChecks() {}

  static void verify(
      ServerConfig server,
      List<IdentityProviderConfig> providers,
      List<RoleConfig> roles,
      List<RoleMappingConfig> mappings,
      List<AppConfig> apps) {
    Violations violations = new Violations();
    if (providers.isEmpty()) {
      violations.add(List.of("identity_providers"), "none defined (expected: at least one identity provider)");
    }
    unique(violations, "identity_providers", providers.stream().map(IdentityProviderConfig::name).toList(),
        "identity provider name");
    unique(violations, "roles", roles.stream().map(RoleConfig::name).toList(), "role name");
    unique(violations, "apps", apps.stream().map(AppConfig::name).toList(), "app name");

    Set<String> roleNames = new HashSet<>(roles.stream().map(RoleConfig::name).toList());
    for (int i = 0; i < mappings.size(); i++) {
      List<String> granted = mappings.get(i).roles();
      for (int j = 0; j < granted.size(); j++) {
        if (!roleNames.contains(granted.get(j))) {
          violations.add(List.of("role_mappings", i, "roles", j), "unknown role " + Check.quote(granted.get(j))
              + " (expected: one of the roles defined under roles: " + roleNames.stream().sorted().toList() + ")");
        }
      }
    }

    Map<String, Integer> routes = new HashMap<>();
    for (int i = 0; i < apps.size(); i++) {
      AppConfig app = apps.get(i);
      Integer first = routes.putIfAbsent(app.host() + app.pathPrefix(), i);
      if (first != null) {
        violations.add(List.of("apps", i, "host"), "host " + app.host() + " with path_prefix " + app.pathPrefix()
            + " is already served by apps[" + first + "] (expected: a unique host and path_prefix per app)");
      }
      if (app.host().equals(server.publicHost())) {
        violations.add(List.of("apps", i, "host"), "host " + app.host()
            + " is the sign-in host of server.public_url (expected: a different host for each app)");
      }
    }
    violations.throwIfAny();
  }

  private static void unique(Violations violations, String key, List<String> names, String what) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      Integer first = seen.putIfAbsent(names.get(i), i);
      if (first != null) {
        violations.add(List.of(key, i, "name"), "duplicate " + what + " " + Check.quote(names.get(i))
            + " (expected: unique names; first defined at " + key + "[" + first + "])");
      }
    }
  }
}
