package dev.portcullis.policy.internal;

import dev.portcullis.config.internal.LoginSyntax;
import dev.portcullis.identity.Identity;
import java.util.List;
import java.util.Set;

/**
 * One entry of a role's {@code logins}, ready to expand for a user. Expansion never repairs a value: a
 * value that is not a valid login ({@value LoginSyntax#LOGIN_PATTERN}) is dropped, so an identity
 * provider cannot turn {@code Root!} or {@code root\n} into {@code root}.
 */
public sealed interface LoginTemplate {

  /** Compiles an entry that the config check accepted. */
  static LoginTemplate compile(String entry) {
    LoginSyntax.Entry parsed = LoginSyntax.parse(entry);
    return switch (parsed.kind()) {
      case LITERAL -> new Literal(parsed.value());
      case EMAIL_LOCAL -> new EmailLocal();
      case INTERNAL_USERNAME -> new InternalUsername();
      case EXTERNAL_CLAIM -> new ExternalClaim(parsed.value());
    };
  }

  /**
   * Adds the valid logins this entry gives {@code identity} to {@code out}.
   *
   * @return how many values were dropped because they are not valid logins
   */
  int expandInto(Identity identity, Set<String> out);

  /** The entry as configured, for reasons. */
  String source();

  /** A fixed login such as {@code ubuntu}, already checked. */
  record Literal(String login) implements LoginTemplate {
    @Override
    public int expandInto(Identity identity, Set<String> out) {
      out.add(login);
      return 0;
    }

    @Override
    public String source() {
      return login;
    }
  }

  /**
   * {@code {{email.local}}}: the part of the email before {@code @}, lower-cased. Only ASCII letters are
   * lower-cased: Unicode case mapping turns the Kelvin sign into {@code k}, which would let an address
   * that merely looks different claim an existing account.
   */
  record EmailLocal() implements LoginTemplate {
    @Override
    public int expandInto(Identity identity, Set<String> out) {
      String local = identity.emailLocalPart();
      if (local.isEmpty()) {
        return 0;
      }
      return add(asciiLowerCase(local), out);
    }

    @Override
    public String source() {
      return "{{email.local}}";
    }
  }

  /** {@code {{internal.username}}}: the Portcullis user name, exactly. */
  record InternalUsername() implements LoginTemplate {
    @Override
    public int expandInto(Identity identity, Set<String> out) {
      return add(identity.username(), out);
    }

    @Override
    public String source() {
      return "{{internal.username}}";
    }
  }

  /**
   * {@code {{external.<claim>}}}: each string value of the top-level claim, exactly; an array gives one
   * login per string element. Numbers, booleans, objects and nested arrays are dropped.
   */
  record ExternalClaim(String claim) implements LoginTemplate {
    @Override
    public int expandInto(Identity identity, Set<String> out) {
      Object value = identity.claims().get(claim);
      return switch (value) {
        case null -> 0;
        case String s -> add(s, out);
        case List<?> list -> {
          int dropped = 0;
          for (Object element : list) {
            dropped += element instanceof String s ? add(s, out) : 1;
          }
          yield dropped;
        }
        default -> 1;
      };
    }

    @Override
    public String source() {
      return "{{external." + claim + "}}";
    }
  }

  private static int add(String value, Set<String> out) {
    if (LoginSyntax.isLogin(value)) {
      out.add(value);
      return 0;
    }
    return 1;
  }

  private static String asciiLowerCase(String value) {
    char[] chars = value.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] >= 'A' && chars[i] <= 'Z') {
        chars[i] = (char) (chars[i] + ('a' - 'A'));
      }
    }
    return new String(chars);
  }
}
