package dev.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each kind of mistake is reported at the right file, line, column and key, with what was expected. */
class ConfigErrorsTest {
  // Lines 1-7; tests append from line 8 on.
  static final String BASE = """
      server:
        public_url: https://portcullis.localhost:8443
      identity_providers:
        - name: corp
          type: oidc
          issuer: https://idp.example.com
          client_id: portcullis
      """;

  static List<ConfigProblem> problems(String yaml) {
    return problems(yaml, Map.of());
  }

  static List<ConfigProblem> problems(String yaml, Map<String, String> env) {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> ConfigLoader.parse(yaml, "portcullis.yaml", env));
    assertThat(e).as("expected a ConfigException").isNotNull();
    assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems().stream().map(ConfigProblem::toString).toList()));
    return e.problems();
  }

  static String only(String yaml) {
    List<ConfigProblem> found = problems(yaml);
    assertThat(found).hasSize(1);
    return found.get(0).toString();
  }

  @Test
  void badUpstreamUrlNamesLineColumnAndKey() {
    assertThat(only(BASE + """
        apps:
          - name: whoami
            host: whoami.localhost
            upstream: localhost:9000
        """)).isEqualTo("portcullis.yaml:11:15: apps[0].upstream: \"localhost:9000\" is not an absolute http(s) URL"
            + " (expected: http://host[:port] or https://host[:port])");
  }

  @Test
  void upstreamWithQueryOrPathIsRefused() {
    assertThat(only(BASE + """
        apps:
          - name: whoami
            host: whoami.localhost
            upstream: http://127.0.0.1:9000/api?x=1
        """)).startsWith("portcullis.yaml:11:15: apps[0].upstream: \"http://127.0.0.1:9000/api?x=1\" has a query");
  }

  @Test
  void unknownKeyPointsAtTheKeyAndListsTheKnownOnes() {
    assertThat(only(BASE + """
        session:
          idle_timout: 1h
        """)).isEqualTo("portcullis.yaml:9:3: session.idle_timout: unknown key"
            + " (expected one of: cookie_name, idle_timeout, absolute_timeout)");
  }

  @Test
  void everyUnknownKeyIsReportedAtOnce() {
    List<ConfigProblem> found = problems(BASE.replace("client_id", "clientid") + """
        sesion: {}
        """);

    assertThat(found).extracting(ConfigProblem::line, ConfigProblem::column, ConfigProblem::path)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(7, 5, "identity_providers[0].clientid"),
            org.assertj.core.groups.Tuple.tuple(8, 1, "sesion"));
  }

  @Test
  void badDurationSaysWhichFormsAreAccepted() {
    assertThat(only(BASE + """
        session:
          idle_timeout: 1 hour
        """)).isEqualTo("portcullis.yaml:9:17: session.idle_timeout: \"1 hour\" is not a duration"
            + " (expected: a positive whole number and a unit s, m, h or d, for example 90s, 30m, 8h, 7d)");
  }

  @Test
  void absoluteTimeoutShorterThanIdleIsReportedAtAbsoluteTimeout() {
    assertThat(only(BASE + """
        session:
          idle_timeout: 2h
          absolute_timeout: 90m
        """)).isEqualTo("portcullis.yaml:10:21: session.absolute_timeout: 90m is shorter than idle_timeout 2h"
            + " (expected: >= idle_timeout)");
  }

  @Test
  void unknownRoleInMappingPointsAtTheRoleName() {
    assertThat(only(BASE + """
        roles:
          - name: dev
        role_mappings:
          - groups: [dev]
            roles: [dev, admin]
        """)).isEqualTo("portcullis.yaml:12:18: role_mappings[0].roles[1]: unknown role \"admin\""
            + " (expected: one of the roles defined under roles: [dev])");
  }

  @Test
  void duplicateAppNamePointsAtTheSecondName() {
    assertThat(only(BASE + """
        apps:
          - name: whoami
            host: a.localhost
            upstream: http://127.0.0.1:9000
          - name: whoami
            host: b.localhost
            upstream: http://127.0.0.1:9001
        """)).isEqualTo("portcullis.yaml:12:11: apps[1].name: duplicate app name \"whoami\""
            + " (expected: unique names; first defined at apps[0])");
  }

  @Test
  void crossFieldProblemsAreAllReported() {
    List<ConfigProblem> found = problems(BASE + """
        role_mappings:
          - everyone: true
            roles: [missing]
        apps:
          - name: a
            host: same.localhost
            upstream: http://127.0.0.1:9000
          - name: b
            host: same.localhost
            upstream: http://127.0.0.1:9001
        """);

    assertThat(found).extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder("role_mappings[0].roles[0]", "apps[1].host");
    assertThat(found).filteredOn(p -> p.path().equals("apps[1].host")).singleElement()
        .satisfies(p -> assertThat(p.line()).isEqualTo(16));
  }

  @Test
  void appOnTheSignInHostIsRefused() {
    assertThat(only(BASE + """
        apps:
          - name: shadow
            host: portcullis.localhost
            upstream: http://127.0.0.1:9000
        """)).startsWith("portcullis.yaml:10:11: apps[0].host: host portcullis.localhost is the sign-in host");
  }

  @Test
  void badCidrNamesTheListElement() {
    assertThat(only(BASE.replace("  public_url", "  trusted_proxies: [10.0.0.0/8, 300.1.2.3/8]\n  public_url")))
        .isEqualTo("portcullis.yaml:2:33: server.trusted_proxies[1]: \"300.1.2.3/8\" is not a CIDR"
            + " (expected: an IPv4 or IPv6 network such as 10.0.0.0/8 or fd00::/8)");
  }

  @Test
  void cidrWithHostBitsSuggestsTheNetwork() {
    assertThat(only(BASE.replace("  public_url", "  trusted_proxies: [10.1.2.3/8]\n  public_url")))
        .contains("server.trusted_proxies[0]: 10.1.2.3/8 has host bits set").contains("did you mean 10.0.0.0/8?");
  }

  @Test
  void celSyntaxErrorPointsInsideTheExpression() {
    assertThat(only(BASE + """
        apps:
          - name: whoami
            host: whoami.localhost
            upstream: http://127.0.0.1:9000
            rules:
              allow:
                - expression: user.name == 'alice' &&
        """)).startsWith("portcullis.yaml:14:46: apps[0].rules.allow[0].expression: invalid CEL expression: ")
        .contains("at line 1, column 24 of the expression");
  }

  @Test
  void celTypeErrorInABlockScalarPointsAtItsLine() {
    assertThat(only(BASE + """
        apps:
          - name: whoami
            host: whoami.localhost
            upstream: http://127.0.0.1:9000
            rules:
              deny:
                - expression: |
                    'ops' in user.groups &&
                      nope == 1
        """)).startsWith("portcullis.yaml:16:15: apps[0].rules.deny[0].expression: invalid CEL expression:"
            + " undeclared reference to 'nope'");
  }

  @Test
  void celExpressionMustReturnABool() {
    assertThat(only(BASE + """
        apps:
          - name: whoami
            host: whoami.localhost
            upstream: http://127.0.0.1:9000
            rules:
              allow:
                - expression: "size(user.groups)"
        """)).startsWith("portcullis.yaml:14:28: apps[0].rules.allow[0].expression: invalid CEL expression:"
            + " expected type 'bool' but found 'int'").doesNotContain("\n");
  }

  @Test
  void missingEnvironmentVariableIsNamed() {
    List<ConfigProblem> found = problems(BASE.replace("client_id: portcullis", "client_id: portcullis\n"
        + "    client_secret: ${CORP_SECRET}") + """
        storage:
          type: postgres
          url: jdbc:postgresql://db/portcullis
          password: ${DB_PASSWORD}
        """, Map.of("UNRELATED", "x"));

    assertThat(found).extracting(ConfigProblem::toString).containsExactly(
        "portcullis.yaml:8:20: identity_providers[0].client_secret: environment variable CORP_SECRET is not set"
            + " (expected: export CORP_SECRET, or write $${ for a literal ${)",
        "portcullis.yaml:12:13: storage.password: environment variable DB_PASSWORD is not set"
            + " (expected: export DB_PASSWORD, or write $${ for a literal ${)");
  }

  @Test
  void yamlSyntaxErrorReportsItsLine() {
    assertThat(only(BASE + """
        apps:
          - name: whoami
            host: [whoami.localhost
        """)).startsWith("portcullis.yaml:11:1: YAML syntax error: expected ',' or ']', but got <stream end>"
        + " (while parsing a flow sequence started at line 10, column 11)");
  }

  @Test
  void duplicateYamlKeyIsASyntaxError() {
    assertThat(only(BASE + """
        session:
          idle_timeout: 1h
          idle_timeout: 2h
        """)).isEqualTo("portcullis.yaml:10:3: duplicate key \"idle_timeout\" in session"
            + " (expected: each key once; first at line 9)");
  }

  @Test
  void missingRequiredKeyPointsAtItsParent() {
    assertThat(only(BASE.replace("    client_id: portcullis\n", "")))
        .isEqualTo("portcullis.yaml:4:5: identity_providers[0].client_id: missing"
            + " (expected: the client id registered at the provider)");
  }

  @Test
  void missingPublicUrlIsReported() {
    assertThat(only(BASE.replace("  public_url: https://portcullis.localhost:8443", "  data_dir: /tmp")))
        .startsWith("portcullis.yaml:1:1: server.public_url: missing (expected: https://host[:port]");
  }

  @Test
  void wrongValueShapesSayWhatWasExpected() {
    assertThat(only(BASE + "apps: whoami\n"))
        .isEqualTo("portcullis.yaml:8:7: apps[0]: \"whoami\" is not a mapping (expected: key: value pairs)");
    assertThat(only(BASE + "session: {cookie_name: [a, b]}\n"))
        .startsWith("portcullis.yaml:8:24: session.cookie_name: a list is not a single value");
    assertThat(only(BASE + """
        apps:
          - name: whoami
            host: whoami.localhost
            upstream: http://127.0.0.1:9000
            public: maybe
        """)).isEqualTo("portcullis.yaml:12:13: apps[0].public: \"maybe\" is not a boolean (expected: true or false)");
  }

  @Test
  void unknownProviderTypeListsTheKnownOnes() {
    assertThat(only(BASE.replace("type: oidc", "type: saml")))
        .isEqualTo("portcullis.yaml:5:11: identity_providers[0].type: \"saml\" is not a provider type"
            + " (expected: oidc or local)");
  }

  @Test
  void unknownStorageTypeListsTheKnownOnes() {
    assertThat(only(BASE + "storage: {type: mysql}\n"))
        .isEqualTo("portcullis.yaml:8:17: storage.type: \"mysql\" is not a known value (expected: one of sqlite, postgres)");
  }

  @Test
  void plainHttpIsRefusedForANonLoopbackIssuer() {
    assertThat(only(BASE.replace("https://idp.example.com", "http://idp.example.com")))
        .startsWith("portcullis.yaml:6:13: identity_providers[0].issuer: \"http://idp.example.com\" uses http"
            + " for a host that is not loopback");
  }

  @Test
  void plainHttpIsAllowedForLoopbackIssuersAndOrigins() {
    PortcullisConfig config = ConfigLoader.parse(BASE
        .replace("https://idp.example.com", "http://127.0.0.1:8080/realms/dev")
        .replace("https://portcullis.localhost:8443", "http://portcullis.localhost:8080"), "p.yaml", Map.of());

    assertThat(config.server().publicUrl()).hasToString("http://portcullis.localhost:8080");
  }

  @Test
  void namesMustMatchTheirPatterns() {
    assertThat(only(BASE.replace("name: corp", "name: Corp_SSO")))
        .isEqualTo("portcullis.yaml:4:11: identity_providers[0].name: \"Corp_SSO\" is not valid"
            + " (expected: 1-32 characters a-z, 0-9 or -)");
  }

  @Test
  void lowerCaseMethodsAreRefusedWithAHint() {
    assertThat(only(BASE + """
        apps:
          - name: whoami
            host: whoami.localhost
            upstream: http://127.0.0.1:9000
            rules:
              deny:
                - methods: [POST, delete]
        """)).isEqualTo("portcullis.yaml:14:27: apps[0].rules.deny[0].methods[1]: \"delete\" is not an HTTP method"
            + " (expected: upper case, such as GET or POST; write DELETE)");
  }

  @Test
  void ruleWithoutCriteriaIsRefused() {
    assertThat(only(BASE + """
        apps:
          - name: whoami
            host: whoami.localhost
            upstream: http://127.0.0.1:9000
            rules:
              deny:
                - {}
        """)).startsWith("portcullis.yaml:14:11: apps[0].rules.deny[0]: has no criteria");
  }

  @Test
  void rulesOnAPublicAppAreRefused() {
    assertThat(only(BASE + """
        apps:
          - name: docs
            host: docs.localhost
            upstream: http://127.0.0.1:9000
            public: true
            rules:
              deny:
                - path_prefixes: [/admin]
        """)).startsWith("portcullis.yaml:13:5: apps[0].rules: have no effect on a public app");
  }

  @Test
  void passwordHashMustBeArgon2idAndIsNeverEchoed() {
    String message = only(BASE + """
          - name: local
            type: local
            users:
              - username: alice
                password_hash: $2b$10$supersecretbcrypt
        """);

    assertThat(message).startsWith("portcullis.yaml:12:24: identity_providers[1].users[0].password_hash:")
        .doesNotContain("supersecretbcrypt");
  }

  @Test
  void yamlAliasesAreRefused() {
    assertThat(only(BASE + """
        roles:
          - name: a
            allow: &grant
              app_labels: {env: [dev]}
          - name: b
            allow: *grant
        """)).startsWith("portcullis.yaml:13:12: YAML alias *grant is not supported");
  }

  @Test
  void emptyFileIsReported() {
    assertThat(only("# nothing here\n")).startsWith("portcullis.yaml:1:1: the file is empty");
  }

  @Test
  void noIdentityProviderIsReported() {
    assertThat(only("server:\n  public_url: https://portcullis.localhost\nidentity_providers: []\n"))
        .startsWith("portcullis.yaml:3:21: identity_providers: none defined");
  }
}
