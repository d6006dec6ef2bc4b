package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import dev.portcullis.config.internal.PolicyExpressions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One app rule. It matches when every criterion present matches; at least one must be present.
 *
 * @param users user names, any of which matches
 * @param groups groups, any of which the user must be in
 * @param emailDomains email domains (lower case), one of which must be the user's
 * @param claims claim name to accepted values; every listed claim must have one of its values
 * @param methods HTTP methods in upper case
 * @param pathPrefixes segment-aware path prefixes: {@code /admin} matches {@code /admin} and
 *     {@code /admin/x} but not {@code /administrator}
 * @param sourceCidrs client networks
 * @param expression a CEL expression over {@code user}, {@code request} and {@code app} returning bool;
 *     checked when the record is built
 */
public record RuleConfig(
    List<String> users,
    List<String> groups,
    List<String> emailDomains,
    Map<String, List<String>> claims,
    List<String> methods,
    List<String> pathPrefixes,
    List<Cidr> sourceCidrs,
    Optional<String> expression) {
  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,20}");

  public RuleConfig {
    users = Check.texts(users, "users", "a user name");
    groups = Check.texts(groups, "groups", "a group name");
    emailDomains = EmailDomains.normalize(emailDomains, "email_domains");
    Map<String, List<String>> claimCopy = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> entry : Check.map(claims, "claims").entrySet()) {
      List<String> values = entry.getValue();
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i) == null) {
          throw Check.invalid(List.of("claims", entry.getKey(), i), "is empty (expected: a value)");
        }
      }
      if (values.isEmpty()) {
        throw Check.invalid(List.of("claims", entry.getKey()), "has no values (expected: at least one accepted value)");
      }
      claimCopy.put(entry.getKey(), List.copyOf(values));
    }
    claims = Collections.unmodifiableMap(claimCopy);
    methods = Check.list(methods, "methods");
    for (int i = 0; i < methods.size(); i++) {
      String method = methods.get(i);
      if (!METHOD.matcher(method).matches()) {
        String hint = METHOD.matcher(method.toUpperCase(Locale.ROOT)).matches()
            ? "; write " + method.toUpperCase(Locale.ROOT) : "";
        throw Check.invalid(List.of("methods", i), Check.quote(method)
            + " is not an HTTP method (expected: upper case, such as GET or POST" + hint + ")");
      }
    }
    pathPrefixes = PathPrefixes.normalize(pathPrefixes, "path_prefixes");
    sourceCidrs = Check.list(sourceCidrs, "source_cidrs");
    expression = expression == null ? Optional.empty() : expression;
    expression.ifPresent(PolicyExpressions::check);
    if (criteria(users, groups, emailDomains, claims, methods, pathPrefixes, sourceCidrs, expression).isEmpty()) {
      throw Check.invalid(List.of(), "has no criteria (expected: at least one of users, groups, email_domains,"
          + " claims, methods, path_prefixes, source_cidrs, expression)");
    }
  }

  /** Names the criteria present, in evaluation order, for messages and reasons. */
  public List<String> criteria() {
    return criteria(users, groups, emailDomains, claims, methods, pathPrefixes, sourceCidrs, expression);
  }

  private static List<String> criteria(
      List<String> users,
      List<String> groups,
      List<String> emailDomains,
      Map<String, List<String>> claims,
      List<String> methods,
      List<String> pathPrefixes,
      List<Cidr> sourceCidrs,
      Optional<String> expression) {
    List<String> present = new ArrayList<>();
    if (!users.isEmpty()) present.add("users");
    if (!groups.isEmpty()) present.add("groups");
    if (!emailDomains.isEmpty()) present.add("email_domains");
    if (!claims.isEmpty()) present.add("claims");
    if (!pathPrefixes.isEmpty()) present.add("path_prefixes");
    if (!methods.isEmpty()) present.add("methods");
    if (!sourceCidrs.isEmpty()) present.add("source_cidrs");
    if (expression.isPresent()) present.add("expression");
    return List.copyOf(present);
  }
}
