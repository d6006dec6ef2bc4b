package dev.portcullis.oidc.internal;

import dev.portcullis.oidc.OidcException;
import dev.portcullis.oidc.OidcFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Merges and reads claims: immutable copies, username and groups from the configured claims. */
public final class Claims {

  private Claims() {}

  /** Userinfo claims overlaid by ID token claims (the signed token wins), deeply immutable, nulls dropped. */
  public static Map<String, Object> merge(Map<String, Object> userInfo, Map<String, Object> idToken) {
    Map<String, Object> merged = new LinkedHashMap<>();
    userInfo.forEach((k, v) -> put(merged, k, v));
    idToken.forEach((k, v) -> put(merged, k, v));
    return Collections.unmodifiableMap(merged);
  }

  /** The configured username claim, else the local part of a verified email, else {@code sub}. */
  public static String username(Map<String, Object> claims, String usernameClaim, String subject) {
    if (claims.get(usernameClaim) instanceof String name && !name.isBlank()) {
      return name;
    }
    Optional<String> email = email(claims);
    if (email.isPresent() && emailVerified(claims)) {
      String address = email.get();
      int at = address.lastIndexOf('@');
      if (at > 0) {
        return address.substring(0, at);
      }
    }
    return subject;
  }

  public static Optional<String> email(Map<String, Object> claims) {
    return claims.get("email") instanceof String email && !email.isBlank() ? Optional.of(email) : Optional.empty();
  }

  /** Only a JSON {@code true} counts; some providers send the string "true", which we do not trust either. */
  public static boolean emailVerified(Map<String, Object> claims) {
    return Boolean.TRUE.equals(claims.get("email_verified"));
  }

  /**
   * The groups from a string array or a single string. Any other shape fails: silently dropping
   * groups could dodge a deny rule that names one.
   */
  public static List<String> groups(Map<String, Object> claims, String groupsClaim) throws OidcException {
    Object value = claims.get(groupsClaim);
    if (value == null) {
      return List.of();
    }
    if (value instanceof String single) {
      return List.of(single);
    }
    if (value instanceof List<?> list) {
      List<String> groups = new ArrayList<>(list.size());
      for (Object item : list) {
        if (!(item instanceof String group)) {
          throw new OidcException(OidcFailure.INVALID_CLAIM,
              "claim " + groupsClaim + " holds a non-string element (expected: strings)");
        }
        groups.add(group);
      }
      return List.copyOf(groups);
    }
    throw new OidcException(OidcFailure.INVALID_CLAIM,
        "claim " + groupsClaim + " is a " + value.getClass().getSimpleName() + " (expected: string array or string)");
  }

  private static void put(Map<String, Object> target, String key, Object value) {
    Object copy = immutable(value);
    if (copy != null) {
      target.put(key, copy);
    }
  }

  private static Object immutable(Object value) {
    return switch (value) {
      case null -> null;
      case Map<?, ?> map -> {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> put(copy, String.valueOf(k), v));
        yield Collections.unmodifiableMap(copy);
      }
      case List<?> list -> {
        List<Object> copy = new ArrayList<>(list.size());
        for (Object item : list) {
          Object itemCopy = immutable(item);
          if (itemCopy != null) {
            copy.add(itemCopy);
          }
        }
        yield Collections.unmodifiableList(copy);
      }
      default -> value;
    };
  }
}
