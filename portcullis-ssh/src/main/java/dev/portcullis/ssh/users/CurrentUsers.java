package dev.portcullis.ssh.users;

import dev.portcullis.config.IdentityProviderConfig;
import dev.portcullis.config.LocalProviderConfig;
import dev.portcullis.config.OidcProviderConfig;
import dev.portcullis.config.PortcullisConfig;
import dev.portcullis.identity.Identity;
import dev.portcullis.localauth.LocalAuthenticator;
import java.util.Optional;

/**
 * A user as the current configuration has them, for every SSH decision made after sign-in: sessions and
 * certificate records keep the identity of their sign-in, but an admin who edits or deletes a local user must
 * change what that user may do at once.
 */
public final class CurrentUsers {
  private CurrentUsers() {}

  /**
   * A local user's groups and email as configured now; empty when the user is no longer listed or their provider
   * is gone. OIDC users keep {@code remembered}: their provider vouches for them at sign-in and session refresh.
   */
  public static Optional<Identity> current(Identity remembered, PortcullisConfig config) {
    for (IdentityProviderConfig provider : config.identityProviders()) {
      if (provider.name().equals(remembered.provider())) {
        return switch (provider) {
          case LocalProviderConfig local -> local.users().stream()
              .filter(user -> user.username().equals(remembered.username()))
              .findFirst()
              .map(user -> LocalAuthenticator.identityOf(local, user));
          case OidcProviderConfig oidc -> Optional.of(remembered);
        };
      }
    }
    return Optional.empty();
  }
}
