package dev.portcullis.config;

import dev.portcullis.config.internal.Check;
import java.util.List;
import java.util.Optional;

/**
 * Users defined in the configuration file ({@code type: local}), signing in with a password and
 * optionally a TOTP code.
 *
 * @param name the unique provider name
 * @param displayName the sign-in page label; default {@code name}
 * @param users the users, with unique user names
 */
public record LocalProviderConfig(String name, String displayName, List<LocalUserConfig> users)
    implements IdentityProviderConfig {

  public LocalProviderConfig {
    Check.matches(name, NAME, "name", NAME_EXPECTED);
    displayName = displayName == null || displayName.isBlank() ? name : displayName;
    users = Check.list(users, "users");
    for (int i = 0; i < users.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (users.get(i).username().equals(users.get(j).username())) {
          throw Check.invalid(List.of("users", i, "username"), "duplicate user name " + Check.quote(users.get(i).username())
              + " (expected: unique user names; first at users[" + j + "])");
        }
      }
    }
  }

  /** Finds a user by name. */
  public Optional<LocalUserConfig> user(String username) {
    return users.stream().filter(u -> u.username().equals(username)).findFirst();
  }
}
