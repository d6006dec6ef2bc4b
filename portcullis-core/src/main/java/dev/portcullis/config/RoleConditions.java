package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import dev.portcullis.config.internal.InvalidConfigException;
import dev.portcullis.config.internal.LoginSyntax;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code allow} or {@code deny} part of a role.
 *
 * <p>{@code appLabels} and {@code nodeLabels} match a resource when, for every label key listed, the
 * resource has that label with one of the listed values; values may use {@code *} as a wildcard, and
 * {@code '*': ['*']} matches every resource. An empty map matches nothing.
 *
 * <p>Each of {@code logins} is a literal login matching {@value LoginSyntax#LOGIN_PATTERN} or one whole
 * template: {@code {{email.local}}}, {@code {{internal.username}}} or {@code {{external.<claim>}}}.
 *
 * @param appLabels label key to accepted values, selecting web apps
 * @param nodeLabels label key to accepted values, selecting SSH nodes (servers)
 * @param logins the logins granted (under allow) or refused (under deny) on SSH nodes
 * @param sudo under allow: whether the node agent grants sudo for this role's logins on its nodes;
 *     default false, and refused under deny (see {@link RoleConfig})
 */
public record RoleConditions(
    Map<String, List<String>> appLabels,
    Map<String, List<String>> nodeLabels,
    List<String> logins,
    boolean sudo) {
  public static final String WILDCARD = "*";
  static final Pattern LABEL_KEY = LabelPatterns.LABEL_KEY;
  public static final RoleConditions NONE = new RoleConditions(Map.of(), Map.of(), List.of(), false);

  public RoleConditions {
    appLabels = LabelPatterns.normalize(appLabels, "app_labels", "app");
    nodeLabels = LabelPatterns.normalize(nodeLabels, "node_labels", "node");
    logins = Check.texts(logins, "logins", "a login name or template");
    for (int i = 0; i < logins.size(); i++) {
      List<Object> at = List.of("logins", i);
      try {
        LoginSyntax.parse(logins.get(i));
      } catch (InvalidConfigException e) {
        throw new InvalidConfigException(e.violations().stream().map(v -> v.under(at)).toList());
      }
    }
  }
}
