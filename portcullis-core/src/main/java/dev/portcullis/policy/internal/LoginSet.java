package dev.portcullis.policy.internal;

import dev.portcullis.identity.Identity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A role's {@code logins} (allowed or denied), compiled once per snapshot and expanded per user. */
public final class LoginSet {
  public static final LoginSet NONE = new LoginSet(List.of());

  /**
   * The logins one user gets from this set.
   *
   * @param logins the valid logins, distinct, in configuration order
   * @param dropped one note per entry that dropped values, such as {@code {{external.unix}} gave 2 values
   *     that are not valid logins}; never the values themselves, which come from the identity provider
   */
  public record Expansion(Set<String> logins, List<String> dropped) {}

  private final List<LoginTemplate> templates;

  private LoginSet(List<LoginTemplate> templates) {
    this.templates = List.copyOf(templates);
  }

  /** Compiles entries that the config check accepted. */
  public static LoginSet compile(List<String> entries) {
    return entries.isEmpty() ? NONE : new LoginSet(entries.stream().map(LoginTemplate::compile).toList());
  }

  public boolean isEmpty() {
    return templates.isEmpty();
  }

  public Expansion expand(Identity identity) {
    if (templates.isEmpty()) {
      return new Expansion(Set.of(), List.of());
    }
    Set<String> logins = new LinkedHashSet<>();
    List<String> dropped = List.of();
    for (LoginTemplate template : templates) {
      int count = template.expandInto(identity, logins);
      if (count > 0) {
        if (dropped.isEmpty()) {
          dropped = new ArrayList<>();
        }
        dropped.add(template.source() + " gave " + count + (count == 1 ? " value that is" : " values that are")
            + " not a valid login");
      }
    }
    return new Expansion(Collections.unmodifiableSet(logins), List.copyOf(dropped));
  }
}
