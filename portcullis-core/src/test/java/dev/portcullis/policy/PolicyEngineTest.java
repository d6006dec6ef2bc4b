package dev.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.ConfigLoader;
import dev.portcullis.config.PortcullisConfig;
import dev.portcullis.identity.Identity;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyEngineTest {
  static final Instant MORNING = Instant.parse("2025-03-04T10:00:00Z");
  static final PortcullisConfig CONFIG = load();

  static final Identity ALICE = user("alice", "alice@example.com", List.of("dev"), Map.of());
  static final Identity BOB = user("bob", "bob@other.org", List.of(), Map.of());
  static final Identity CAROL = user("carol", "carol@example.com", List.of(), Map.of());
  static final Identity DAVE = user("dave", "dave@other.org", List.of("dev"), Map.of());
  static final Identity OSCAR = user("oscar", "oscar@example.com", List.of("dev", "ops"), Map.of());

  final PolicyEngine engine = new PolicyEngine(PolicySnapshot.of(CONFIG));

  static PortcullisConfig load() {
    try (InputStream in = PolicyEngineTest.class.getResourceAsStream("/config/policy.yaml")) {
      return ConfigLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "policy.yaml", Map.of());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Identity user(String name, String email, List<String> groups, Map<String, Object> claims) {
    return new Identity(name, email, groups, claims, "corp", "sub-" + name);
  }

  static Identity frank(Map<String, Object> claims) {
    return user("frank", "frank@contractor.org", List.of("finance"), claims);
  }

  Decision decide(Identity identity, String app, String method, String path) {
    return decide(identity, app, method, path, "198.51.100.7", MORNING);
  }

  Decision decide(Identity identity, String app, String method, String path, String source, Instant time) {
    AppResource resource = CONFIG.app(app).map(AppResource::of)
        .orElse(new AppResource(app, app + ".localhost", Map.of()));
    return engine.decide(new AccessRequest(Optional.ofNullable(identity), resource, method, path,
        InetAddress.ofLiteral(source), time));
  }

  static Reason last(Decision decision) {
    return decision.reasons().getLast();
  }

  @Test
  void deniesAnAnonymousRequestToAPrivateApp() {
    Decision decision = decide(null, "whoami", "GET", "/");

    assertThat(decision).isInstanceOf(Decision.Deny.class);
    assertThat(decision.reasons()).containsExactly(
        new Reason("user-unauthenticated", "app whoami requires sign-in"));
  }

  @Test
  void deniesByDefaultWhenNoMappingGivesARole() {
    Decision decision = decide(BOB, "whoami", "GET", "/");

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reasons()).containsExactly(
        new Reason("no-role-grants-app", "user bob has no roles: no role mapping matched"));
  }

  @Test
  void deniesWhenTheUsersRolesDoNotCoverTheAppsLabels() {
    Decision decision = decide(DAVE, "ledger", "GET", "/");

    assertThat(last(decision)).isEqualTo(new Reason("no-role-grants-app",
        "roles [dev] of user dave grant no access to app ledger (labels tier=internal)"));
  }

  @Test
  void allowsAPublicAppWithoutSignIn() {
    Decision decision = decide(null, "docs", "POST", "/anything");

    assertThat(decision).isEqualTo(new Decision.Allow(List.of(),
        List.of(new Reason("public-app", "app docs is public"))));
  }

  @Test
  void allowsAPublicPathWithoutSignIn() {
    assertThat(decide(null, "whoami", "GET", "/healthz").reasons()).containsExactly(
        new Reason("public-path", "path /healthz is under public path /healthz of app whoami"));
    assertThat(decide(null, "whoami", "GET", "/healthz/live?verbose=1").allowed()).isTrue();
  }

  @Test
  void publicPathIsSegmentAwareAndCannotBeEscapedWithDotSegments() {
    assertThat(last(decide(null, "whoami", "GET", "/healthzz")).code()).isEqualTo("user-unauthenticated");
    assertThat(last(decide(null, "whoami", "GET", "/healthz/../admin")).code()).isEqualTo("user-unauthenticated");
    assertThat(last(decide(null, "whoami", "GET", "/healthz/..%2Fadmin")).code()).isEqualTo("user-unauthenticated");
  }

  @Test
  void roleDenyWinsOverAnotherRolesAllow() {
    Decision decision = decide(ALICE, "billing", "GET", "/");

    assertThat(decision.allowed()).isFalse();
    assertThat(last(decision)).isEqualTo(new Reason("role-deny", "role dev denies app billing by labels env=prod"));
    assertThat(decide(CAROL, "billing", "GET", "/").allowed()).as("employee alone may use billing").isTrue();
  }

  @Test
  void roleAllowLabelsMayUseWildcards() {
    Decision decision = decide(DAVE, "staging", "GET", "/");

    assertThat(decision).isInstanceOfSatisfying(Decision.Allow.class,
        allow -> assertThat(allow.roles()).containsExactly("dev"));
    assertThat(last(decision)).isEqualTo(new Reason("role-allow", "role dev allows app staging by labels env=staging-eu"));
  }

  @Test
  void allowListsTheMappingsRolesAndRuleThatAllowed() {
    Decision decision = decide(OSCAR, "whoami", "GET", "/x");

    assertThat(decision).isEqualTo(new Decision.Allow(List.of("dev", "employee"), List.of(
        new Reason("mapping", "role_mappings[0] grants [dev] to user oscar: groups [dev]"),
        new Reason("mapping", "role_mappings[1] grants [employee] to user oscar: email_domains [example.com]"),
        new Reason("role-allow", "role dev allows app whoami by labels env=dev"),
        new Reason("role-allow", "role employee allows app whoami by labels '*'"),
        new Reason("rule-allow", "app rule allow[0] matched: groups [ops]"))));
  }

  @Test
  void anyAllowRuleMayMatch() {
    assertThat(last(decide(CAROL, "whoami", "GET", "/"))).isEqualTo(
        new Reason("rule-allow", "app rule allow[1] matched: users [carol]"));
  }

  @Test
  void deniesWhenAllowRulesExistAndNoneMatches() {
    Decision decision = decide(ALICE, "whoami", "GET", "/");

    assertThat(decision.allowed()).isFalse();
    assertThat(last(decision)).isEqualTo(new Reason("no-rule-matched", "no allow rule of app whoami matched"));
  }

  @Test
  void denyRuleWinsOverAMatchingAllowRuleAndNamesTheRule() {
    Decision decision = decide(OSCAR, "whoami", "POST", "/admin/users");

    assertThat(decision.allowed()).isFalse();
    assertThat(last(decision)).isEqualTo(new Reason("rule-deny",
        "app rule deny[0] matched: path_prefixes [/admin], methods [POST, DELETE]"));
  }

  @Test
  void denyRuleNeedsAllItsCriteria() {
    assertThat(decide(OSCAR, "whoami", "GET", "/admin/users").allowed()).isTrue();
    assertThat(decide(OSCAR, "whoami", "POST", "/administrator").allowed()).isTrue();
  }

  @Test
  void denyRuleCannotBeDodgedBySpellingThePathOrMethodDifferently() {
    assertThat(decide(OSCAR, "whoami", "post", "/ADMIN").allowed()).isFalse();
    assertThat(decide(OSCAR, "whoami", "DELETE", "/x/..%2Fadmin").allowed()).isFalse();
    assertThat(decide(OSCAR, "whoami", "POST", "//admin;x=1/users").allowed()).isFalse();
  }

  @Test
  void mappingWithSeveralConditionsNeedsAllOfThem() {
    Identity auditor = frank(Map.of("department", "audit", "level", 5));
    Identity notInFinance = user("fiona", "fiona@contractor.org", List.of(), Map.of("department", "audit"));

    assertThat(engine.snapshot().rolesFor(auditor)).containsExactly("auditor");
    assertThat(engine.snapshot().rolesFor(notInFinance)).isEmpty();
  }

  @Test
  void celAllowRuleGrantsOnlyWhenTrue() {
    assertThat(last(decide(frank(Map.of("department", "audit", "level", 5)), "ledger", "GET", "/")))
        .isEqualTo(new Reason("rule-allow", "app rule allow[0] matched: expression user.claims.level >= 3"));
    assertThat(last(decide(frank(Map.of("department", "audit", "level", 2)), "ledger", "GET", "/")).code())
        .isEqualTo("no-rule-matched");
  }

  @Test
  void celDenyRuleUsesTheRequestTime() {
    Decision night = decide(frank(Map.of("department", "audit", "level", 5)), "ledger", "GET", "/", "198.51.100.7",
        Instant.parse("2025-03-04T03:00:00Z"));

    assertThat(last(night)).isEqualTo(new Reason("rule-deny",
        "app rule deny[0] matched: expression request.time.getHours('UTC') < 6"));
  }

  @Test
  void sourceCidrDenyRuleCoversIpv4AndIpv6() {
    Identity auditor = frank(Map.of("department", "audit", "level", 5));

    assertThat(last(decide(auditor, "ledger", "GET", "/", "203.0.113.9", MORNING)).detail())
        .isEqualTo("app rule deny[1] matched: source_cidrs [203.0.113.0/24, 2001:db8:bad:0:0:0:0:0/48]");
    assertThat(decide(auditor, "ledger", "GET", "/", "2001:db8:bad::1", MORNING).allowed()).isFalse();
    assertThat(decide(auditor, "ledger", "GET", "/", "2001:db8:bae::1", MORNING).allowed()).isTrue();
  }

  @Test
  void celErrorInAnAllowRuleCountsAsNoMatch() {
    Decision decision = decide(frank(Map.of("department", "audit")), "ledger", "GET", "/");

    assertThat(decision.allowed()).isFalse();
    assertThat(last(decision).code()).isEqualTo("no-rule-matched");
    assertThat(last(decision).detail()).contains("allow[0] could not be evaluated and counts as no match")
        .contains("level");
  }

  @Test
  void celErrorInADenyRuleFailsClosed() {
    Decision missingClaim = decide(frank(Map.of("department", "audit")), "vault", "GET", "/");

    assertThat(missingClaim.allowed()).isFalse();
    assertThat(last(missingClaim).code()).isEqualTo("rule-deny");
    assertThat(last(missingClaim).detail()).startsWith(
        "app rule deny[0] could not be evaluated and counts as a match (fail closed): ");
    assertThat(decide(frank(Map.of("department", "audit", "clearance", "top")), "vault", "GET", "/").allowed())
        .isTrue();
    assertThat(decide(frank(Map.of("department", "audit", "clearance", "secret")), "vault", "GET", "/").allowed())
        .isFalse();
  }

  @Test
  void aSessionsRepeatedRequestsGetTheSameAnswersAsFreshDecisions() {
    // A server passes the same Identity and AppResource instances for every request of a session, which
    // lets the engine reuse what the roles said; each answer must still be what a fresh engine decides.
    AppResource whoami = AppResource.of(CONFIG.app("whoami").orElseThrow());
    AppResource billing = AppResource.of(CONFIG.app("billing").orElseThrow());
    record Ask(Identity identity, AppResource app, String method, String path) {}
    List<Ask> asks = List.of(
        new Ask(OSCAR, whoami, "GET", "/x"), new Ask(OSCAR, whoami, "POST", "/admin/users"),
        new Ask(OSCAR, whoami, "GET", "/x"), new Ask(CAROL, whoami, "GET", "/x"), new Ask(OSCAR, whoami, "GET", "/y"),
        new Ask(ALICE, whoami, "GET", "/x"), new Ask(ALICE, billing, "GET", "/"), new Ask(ALICE, whoami, "GET", "/x"),
        new Ask(CAROL, billing, "GET", "/"), new Ask(CAROL, whoami, "DELETE", "/admin"), new Ask(CAROL, whoami, "GET", "/"));

    for (int round = 0; round < 2; round++) {
      for (Ask ask : asks) {
        AccessRequest request = new AccessRequest(Optional.of(ask.identity()), ask.app(), ask.method(), ask.path(),
            InetAddress.ofLiteral("198.51.100.7"), MORNING);
        Decision fresh = new PolicyEngine(PolicySnapshot.of(CONFIG)).decide(request);

        assertThat(engine.decide(request)).as("%s", ask).isEqualTo(fresh);
      }
    }
    assertThat(last(engine.decide(new AccessRequest(Optional.of(CAROL), whoami, "GET", "/x",
        InetAddress.ofLiteral("198.51.100.7"), MORNING)))).isEqualTo(
            new Reason("rule-allow", "app rule allow[1] matched: users [carol]"));
  }

  @Test
  void deniesAnAppThatIsNotConfigured() {
    assertThat(decide(ALICE, "ghost", "GET", "/").reasons()).containsExactly(
        new Reason("app-unknown", "app ghost is not in the configuration"));
  }

  @Test
  void rolesForIsSortedAndMaxSessionTtlTakesTheShortest() {
    PolicySnapshot snapshot = engine.snapshot();

    assertThat(snapshot.rolesFor(OSCAR)).containsExactly("dev", "employee");
    assertThat(snapshot.maxSessionTtl(List.of("dev", "employee"))).contains(Duration.ofHours(2));
    assertThat(snapshot.maxSessionTtl(List.of("dev"))).contains(Duration.ofHours(8));
    assertThat(snapshot.maxSessionTtl(List.of())).isEmpty();
  }

  @Test
  void updateSwapsThePolicyForLaterDecisions() {
    assertThat(decide(ALICE, "whoami", "GET", "/").allowed()).isFalse();
    PortcullisConfig relaxed = new PortcullisConfig(CONFIG.server(), CONFIG.storage(), CONFIG.session(),
        CONFIG.audit(), CONFIG.identityProviders(), CONFIG.roles(), CONFIG.roleMappings(),
        CONFIG.apps().stream().map(a -> a.name().equals("whoami")
            ? new dev.portcullis.config.AppConfig(a.name(), a.host(), a.pathPrefix(), a.upstream(), a.labels(), false,
                a.publicPaths(), false, Optional.empty(), a.timeouts(), null)
            : a).toList(), CONFIG.ssh());

    engine.update(PolicySnapshot.of(relaxed));

    assertThat(decide(ALICE, "whoami", "GET", "/").allowed()).isTrue();
  }
}
