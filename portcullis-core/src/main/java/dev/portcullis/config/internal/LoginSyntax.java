package dev.portcullis.config.internal;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The grammar of a role's {@code logins}, shared by the config check and the policy engine so that both
 * accept exactly the same entries: a literal login, or one whole template such as {@code {{email.local}}}.
 */
public final class LoginSyntax {
  /** A POSIX login as useradd's default NAME_REGEX allows it, minus upper case and '$'. */
  public static final String LOGIN_PATTERN = "[a-z_][a-z0-9_-]{0,31}";
  /** A top-level claim name in {@code {{external.<claim>}}}: no braces, spaces or quotes. */
  private static final Pattern CLAIM = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,127}");
  private static final String TEMPLATES = "{{email.local}}, {{internal.username}} or {{external.<claim>}}";

  /** What a {@code logins} entry stands for. */
  public enum Kind {
    /** The entry is the login itself. */
    LITERAL,
    /** The local part of the user's email, lower-cased. */
    EMAIL_LOCAL,
    /** The Portcullis user name. */
    INTERNAL_USERNAME,
    /** Each string value of an identity provider claim. */
    EXTERNAL_CLAIM
  }

  /**
   * One parsed entry.
   *
   * @param kind what the entry stands for
   * @param value the login for {@link Kind#LITERAL}, the claim name for {@link Kind#EXTERNAL_CLAIM}, else empty
   */
  public record Entry(Kind kind, String value) {}

  private LoginSyntax() {}

  /**
   * Parses one {@code logins} entry.
   *
   * @throws InvalidConfigException saying which literals and templates are accepted
   */
  public static Entry parse(String text) {
    if (text.startsWith("{{") && text.endsWith("}}") && text.length() >= 4) {
      String inner = text.substring(2, text.length() - 2);
      if (inner.equals("email.local")) {
        return new Entry(Kind.EMAIL_LOCAL, "");
      }
      if (inner.equals("internal.username")) {
        return new Entry(Kind.INTERNAL_USERNAME, "");
      }
      if (inner.startsWith("external.") && CLAIM.matcher(inner.substring("external.".length())).matches()) {
        return new Entry(Kind.EXTERNAL_CLAIM, inner.substring("external.".length()));
      }
      throw Check.invalid(List.of(), Check.quote(text) + " is not a login template (expected: " + TEMPLATES
          + ", where <claim> is a claim name of letters, digits, _, ., :, / or -)");
    }
    if (text.contains("{{") || text.contains("}}")) {
      throw Check.invalid(List.of(), Check.quote(text) + " mixes text and a template (expected: a template as the"
          + " whole entry: " + TEMPLATES + ")");
    }
    if (!isLogin(text)) {
      throw Check.invalid(List.of(), Check.quote(text) + " is not a valid login (expected: a login matching "
          + LOGIN_PATTERN + ", or a template " + TEMPLATES + ")");
    }
    return new Entry(Kind.LITERAL, text);
  }

  /**
   * Whether {@code value} is a login matching {@link #LOGIN_PATTERN} in full. Written out rather than a
   * regular expression: it runs for every expanded claim value, and a hand check has no {@code $} pitfalls
   * with trailing newlines.
   */
  public static boolean isLogin(String value) {
    int length = value.length();
    if (length < 1 || length > 32) {
      return false;
    }
    char first = value.charAt(0);
    if (!((first >= 'a' && first <= 'z') || first == '_')) {
      return false;
    }
    for (int i = 1; i < length; i++) {
      char c = value.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }
}
