package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import java.util.List;
import java.util.Optional;

/**
 * The whole configuration file, immutable and checked: every value and every cross reference is
 * valid once this record exists. Load it with {@link ConfigLoader}.
 *
 * @param server listener, public origin, TLS and data directory
 * @param storage the database; default SQLite in the data directory
 * @param session cookie name and timeouts
 * @param audit the audit file; the loader defaults it to {@code <data_dir>/audit.jsonl}
 * @param identityProviders at least one, with unique names
 * @param roles roles with unique names
 * @param roleMappings how provider facts become roles; each names defined roles only
 * @param apps web apps with unique names and unique host and path prefix
 * @param ssh the SSH bastion; none by default
 */
public record PortcullisConfig(
    ServerConfig server,
    StorageConfig storage,
    SessionConfig session,
    AuditConfig audit,
    List<IdentityProviderConfig> identityProviders,
    List<RoleConfig> roles,
    List<RoleMappingConfig> roleMappings,
    List<AppConfig> apps,
    SshConfig ssh) {

  public PortcullisConfig {
    Check.required(server, "server", "a mapping with at least public_url");
    storage = storage == null ? StorageConfig.DEFAULT : storage;
    session = session == null ? SessionConfig.DEFAULT : session;
    audit = audit == null ? new AuditConfig(server.dataDir().resolve("audit.jsonl")) : audit;
    identityProviders = Check.list(identityProviders, "identity_providers");
    roles = Check.list(roles, "roles");
    roleMappings = Check.list(roleMappings, "role_mappings");
    apps = Check.list(apps, "apps");
    ssh = ssh == null ? SshConfig.DEFAULT : ssh;
    CrossChecks.verify(server, identityProviders, roles, roleMappings, apps);
  }

  public Optional<AppConfig> app(String name) {
    return apps.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  public Optional<RoleConfig> role(String name) {
    return roles.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  public Optional<IdentityProviderConfig> identityProvider(String name) {
    return identityProviders.stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
