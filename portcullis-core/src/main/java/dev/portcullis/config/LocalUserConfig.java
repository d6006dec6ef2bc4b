package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One local user.
 *
 * @param username {@code [a-z_][a-z0-9_.-]{0,31}}, unique within its provider
 * @param email the user's email address, if any
 * @param groups the user's groups, used by role mappings and rules
 * @param passwordHash an Argon2id PHC string ({@code $argon2id$v=19$m=...,t=...,p=...$salt$hash})
 * @param totpSecret the base32 TOTP seed (RFC 6238), normalized to upper case without padding or spaces
 */
public record LocalUserConfig(
    String username, Optional<String> email, List<String> groups, Secret passwordHash, Optional<Secret> totpSecret) {
  public static final Pattern USERNAME = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
  private static final Pattern BASE32 = Pattern.compile("[A-Z2-7]{16,}");
  private static final String HASH = "an Argon2id PHC string starting with $argon2id$";

  public LocalUserConfig {
    Check.matches(username, USERNAME, "username", "1-32 characters: a-z or _ first, then a-z, 0-9, _, . or -");
    email = email == null ? Optional.empty() : email;
    email.ifPresent(e -> Check.that(EMAIL.matcher(e).matches(), "email",
        () -> Check.quote(e) + " is not an email address (expected: name@domain)"));
    groups = Check.texts(groups, "groups", "a group name");
    Check.required(passwordHash, "password_hash", HASH);
    // The hash is sensitive too, so the message never repeats it.
    Check.that(passwordHash.value().startsWith("$argon2id$"), "password_hash",
        () -> "is not an Argon2id hash (expected: " + HASH + ")");
    totpSecret = totpSecret == null ? Optional.empty() : totpSecret.map(LocalUserConfig::normalizeTotp);
  }

  private static Secret normalizeTotp(Secret secret) {
    String seed = secret.value().replace(" ", "").replaceAll("=+$", "").toUpperCase(Locale.ROOT);
    Check.that(BASE32.matcher(seed).matches(), "totp_secret",
        () -> "is not a base32 TOTP seed (expected: at least 16 characters A-Z and 2-7)");
    return new Secret(seed);
  }
}
