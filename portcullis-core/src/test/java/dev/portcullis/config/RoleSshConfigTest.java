package dev.portcullis.config;

import static dev.portcullis.config.ConfigErrorsTest.BASE;
import static dev.portcullis.config.ConfigErrorsTest.only;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SSH parts of a role: node labels, logins and their templates, sudo, and forwarding options. */
class RoleSshConfigTest {

  static PortcullisConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "portcullis.yaml", Map.of());
  }

  @Test
  void readsNodeLabelsLoginsSudoAndForwarding() {
    PortcullisConfig config = parse(BASE + """
        roles:
          - name: dev
            allow:
              node_labels: {env: [dev, 'staging-*']}
              logins: [ubuntu, '{{email.local}}', '{{internal.username}}', '{{external.unix_login}}']
              sudo: true
            deny:
              node_labels: {env: [prod]}
              logins: [root, '{{external.forbidden}}']
            options:
              port_forwarding: true
              agent_forwarding: true
              x11_forwarding: true
        """);

    RoleConfig dev = config.role("dev").orElseThrow();
    assertThat(dev.allow().nodeLabels()).isEqualTo(Map.of("env", List.of("dev", "staging-*")));
    assertThat(dev.allow().logins())
        .containsExactly("ubuntu", "{{email.local}}", "{{internal.username}}", "{{external.unix_login}}");
    assertThat(dev.allow().sudo()).isTrue();
    assertThat(dev.deny().nodeLabels()).isEqualTo(Map.of("env", List.of("prod")));
    assertThat(dev.deny().logins()).containsExactly("root", "{{external.forbidden}}");
    assertThat(dev.options()).isEqualTo(new RoleOptions(Duration.ofHours(8), true, true, true));
  }

  @Test
  void sshSettingsDefaultToNothingGrantedAndEveryForwardingOff() {
    RoleConfig bare = parse(BASE + """
        roles:
          - name: viewer
            allow:
              app_labels: {'*': ['*']}
        """).role("viewer").orElseThrow();

    assertThat(bare.allow().nodeLabels()).isEmpty();
    assertThat(bare.allow().logins()).isEmpty();
    assertThat(bare.allow().sudo()).isFalse();
    assertThat(bare.deny()).isEqualTo(RoleConditions.NONE);
    assertThat(bare.options()).isEqualTo(RoleOptions.DEFAULT);
    assertThat(RoleOptions.DEFAULT.portForwarding()).isFalse();
    assertThat(RoleOptions.DEFAULT.agentForwarding()).isFalse();
    assertThat(RoleOptions.DEFAULT.x11Forwarding()).isFalse();
  }

  @Test
  void unknownTemplateIsReportedAtItsLine() {
    assertThat(only(BASE + """
        roles:
          - name: dev
            allow:
              logins:
                - ubuntu
                - '{{email.domain}}'
        """)).isEqualTo("portcullis.yaml:13:11: roles[0].allow.logins[1]: \"{{email.domain}}\" is not a login"
            + " template (expected: {{email.local}}, {{internal.username}} or {{external.<claim>}}, where <claim> is"
            + " a claim name of letters, digits, _, ., :, / or -)");
  }

  @Test
  void templateWithSpacesOrAnUnknownNamespaceIsRefused() {
    assertThat(only(BASE + "roles: [{name: dev, allow: {logins: ['{{ email.local }}']}}]\n"))
        .startsWith("portcullis.yaml:8:38: roles[0].allow.logins[0]: \"{{ email.local }}\" is not a login template");
    assertThat(only(BASE + "roles: [{name: dev, allow: {logins: ['{{internal.logins}}']}}]\n"))
        .contains("\"{{internal.logins}}\" is not a login template");
    assertThat(only(BASE + "roles: [{name: dev, allow: {logins: ['{{external.}}']}}]\n"))
        .contains("\"{{external.}}\" is not a login template");
    assertThat(only(BASE + "roles: [{name: dev, allow: {logins: ['{{external.a b}}']}}]\n"))
        .contains("\"{{external.a b}}\" is not a login template");
  }

  @Test
  void templateMustBeTheWholeEntry() {
    assertThat(only(BASE + "roles: [{name: dev, allow: {logins: ['dev-{{email.local}}']}}]\n"))
        .isEqualTo("portcullis.yaml:8:38: roles[0].allow.logins[0]: \"dev-{{email.local}}\" mixes text and a"
            + " template (expected: a template as the whole entry: {{email.local}}, {{internal.username}} or"
            + " {{external.<claim>}})");
  }

  @Test
  void literalLoginMustBeAPosixNameInLowerCase() {
    assertThat(only(BASE + """
        roles:
          - name: dev
            deny:
              logins: [root, Admin]
        """)).isEqualTo("portcullis.yaml:11:22: roles[0].deny.logins[1]: \"Admin\" is not a valid login"
            + " (expected: a login matching [a-z_][a-z0-9_-]{0,31}, or a template {{email.local}},"
            + " {{internal.username}} or {{external.<claim>}})");
    for (String bad : List.of("9lives", "-x", "a b", "a.b", "../x", "x".repeat(33), "r\\u00f6ot", "root$")) {
      assertThat(only(BASE + "roles: [{name: dev, allow: {logins: [\"" + bad + "\"]}}]\n"))
          .as(bad).contains("is not a valid login");
    }
  }

  @Test
  void loginWithATrailingNewlineIsRefused() {
    assertThat(only(BASE + "roles: [{name: dev, allow: {logins: [\"root\\n\"]}}]\n"))
        .isEqualTo("portcullis.yaml:8:38: roles[0].allow.logins[0]: \"root\\n\" is not a valid login"
            + " (expected: a login matching [a-z_][a-z0-9_-]{0,31}, or a template {{email.local}},"
            + " {{internal.username}} or {{external.<claim>}})");
  }

  @Test
  void longestValidLoginIsAccepted() {
    String longest = "_" + "a".repeat(30) + "-";

    assertThat(parse(BASE + "roles: [{name: dev, allow: {logins: [" + longest + "]}}]\n").roles().get(0)
        .allow().logins()).containsExactly(longest);
  }

  @Test
  void badNodeLabelKeyIsReportedAtItsEntry() {
    assertThat(only(BASE + """
        roles:
          - name: dev
            allow:
              node_labels:
                "env name": [dev]
        """)).isEqualTo("portcullis.yaml:12:21: roles[0].allow.node_labels[\"env name\"]: label key \"env name\""
            + " is not valid (expected: 1-63 characters A-Z, a-z, 0-9, /, ., _ or -, or '*')");
  }

  @Test
  void nodeLabelWildcardKeyNeedsAWildcardValue() {
    assertThat(only(BASE + """
        roles:
          - name: ops
            allow:
              node_labels: {'*': [prod]}
        """)).isEqualTo("portcullis.yaml:11:26: roles[0].allow.node_labels[\"*\"]: '*' has values [prod]"
            + " (expected: '*': ['*'] to match every node)");
  }

  @Test
  void nodeLabelWithoutValuesIsRefused() {
    assertThat(only(BASE + "roles: [{name: ops, deny: {node_labels: {env: []}}}]\n"))
        .startsWith("portcullis.yaml:8:47: roles[0].deny.node_labels.env: has no values");
  }

  @Test
  void sudoUnderDenyIsRefusedRatherThanIgnored() {
    assertThat(only(BASE + """
        roles:
          - name: dev
            deny:
              sudo: true
        """)).isEqualTo("portcullis.yaml:11:13: roles[0].deny.sudo: has no effect under deny (expected:"
            + " sudo: true under allow to grant it, or leave it out; deny.node_labels or deny.logins take access"
            + " away)");
    assertThat(parse(BASE + "roles: [{name: dev, deny: {sudo: false}}]\n").roles()).hasSize(1);
  }

  @Test
  void sudoAndForwardingMustBeBooleans() {
    assertThat(only(BASE + "roles: [{name: dev, allow: {sudo: sometimes}}]\n"))
        .isEqualTo("portcullis.yaml:8:35: roles[0].allow.sudo: \"sometimes\" is not a boolean"
            + " (expected: true or false)");
    assertThat(only(BASE + "roles: [{name: dev, options: {agent_forwarding: maybe}}]\n"))
        .isEqualTo("portcullis.yaml:8:49: roles[0].options.agent_forwarding: \"maybe\" is not a boolean"
            + " (expected: true or false)");
  }

  @Test
  void misspeltOptionListsTheKnownOnes() {
    assertThat(only(BASE + """
        roles:
          - name: dev
            options:
              port_forward: true
        """)).isEqualTo("portcullis.yaml:11:7: roles[0].options.port_forward: unknown key (expected one of:"
            + " max_session_ttl, port_forwarding, agent_forwarding, x11_forwarding, record_sessions)");
  }

  @Test
  void recordsBuiltInCodeAreCheckedToo() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new RoleConditions(null, null, List.of("{{email.locale}}"), false))
        .hasMessageStartingWith("logins[0]: \"{{email.locale}}\" is not a login template");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new RoleConfig("dev", null, new RoleConditions(null, null, null, true), null))
        .hasMessageStartingWith("deny.sudo: has no effect under deny");
  }
}
