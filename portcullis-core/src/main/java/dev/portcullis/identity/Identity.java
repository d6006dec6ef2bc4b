package dev.portcullis.identity;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who a signed-in user is, as their identity provider said, independent of the protocol they use.
 *
 * @param username the user name shown and matched by rules; not blank
 * @param email the email address, or empty when the provider gave none
 * @param groups the user's groups from the provider
 * @param claims the provider's raw claims: String, Number, Boolean, List and Map values (deeply
 *     immutable; JSON nulls are dropped)
 * @param provider the name of the identity provider; not blank
 * @param subject the provider-scoped stable id ({@code sub} for OIDC, the user name for local users)
 */
public record Identity(
    String username,
    String email,
    List<String> groups,
    Map<String, Object> claims,
    String provider,
    String subject) {

  public Identity {
    requireNonNull(username, "username");
    if (username.isBlank()) {
      throw new IllegalArgumentException("username: \"\" (expected: not blank)");
    }
    email = email == null ? "" : email;
    groups = groups == null ? List.of() : List.copyOf(groups);
    claims = claims == null ? Map.of() : copyMap(claims, "claims");
    requireNonNull(provider, "provider");
    if (provider.isBlank()) {
      throw new IllegalArgumentException("provider: \"\" (expected: not blank)");
    }
    subject = subject == null ? "" : subject;
  }

  /** The part of the email before {@code @}, or empty. */
  public String emailLocalPart() {
    int at = email.lastIndexOf('@');
    return at < 0 ? "" : email.substring(0, at);
  }

  /** The lower-case part of the email after {@code @}, or empty. */
  public String emailDomain() {
    int at = email.lastIndexOf('@');
    return at < 0 ? "" : email.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
  }

  private static Map<String, Object> copyMap(Map<?, ?> source, String name) {
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : source.entrySet()) {
      if (entry.getValue() != null) {
        String key = String.valueOf(entry.getKey());
        copy.put(key, copyValue(entry.getValue(), name + "." + key));
      }
    }
    return Collections.unmodifiableMap(copy);
  }

  private static Object copyValue(Object value, String name) {
    return switch (value) {
      case String s -> s;
      case Number n -> n;
      case Boolean b -> b;
      case Map<?, ?> m -> copyMap(m, name);
      case List<?> l -> {
        List<Object> copy = new ArrayList<>();
        for (Object element : l) {
          if (element != null) {
            copy.add(copyValue(element, name + "[]"));
          }
        }
        yield Collections.unmodifiableList(copy);
      }
      default -> throw new IllegalArgumentException(name + ": a " + value.getClass().getName()
          + " (expected: String, Number, Boolean, List or Map)");
    };
  }
}
