package dev.portcullis.http.auth;

import dev.portcullis.config.LocalProviderConfig;
import dev.portcullis.config.OidcProviderConfig;
import dev.portcullis.oidc.HttpTimeouts;
import dev.portcullis.oidc.OidcException;
import dev.portcullis.oidc.OidcFailure;
import dev.portcullis.oidc.OidcProviderSettings;
import dev.portcullis.oidc.OidcRelyingParty;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** One way to sign in, as offered on the sign-in page: an OIDC provider or the local users. */
sealed interface SignInMethod {
  String name();

  String displayName();

  record Local(LocalProviderConfig config) implements SignInMethod {
    @Override
    public String name() {
      return config.name();
    }

    @Override
    public String displayName() {
      return config.displayName();
    }
  }

  /**
   * An OIDC provider. Discovery happens on first use, not at start, so an identity provider that is
   * down delays only its own users; a failed discovery is retried after {@link #RETRY_AFTER}.
   */
  final class Oidc implements SignInMethod {
    private static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    private final OidcProviderConfig config;
    private final InstantSource clock;
    private OidcRelyingParty relyingParty;
    private Instant lastFailure = Instant.MIN;
    private OidcException lastError;

    Oidc(OidcProviderConfig config, InstantSource clock) {
      this.config = config;
      this.clock = clock;
    }

    @Override
    public String name() {
      return config.name();
    }

    @Override
    public String displayName() {
      return config.displayName();
    }

    OidcProviderConfig config() {
      return config;
    }

    synchronized OidcRelyingParty relyingParty() throws OidcException {
      if (relyingParty != null) {
        return relyingParty;
      }
      Instant now = clock.instant();
      if (lastError != null && now.isBefore(lastFailure.plus(RETRY_AFTER))) {
        throw lastError;
      }
      try {
        relyingParty = OidcRelyingParty.discover(settings(), clock, HttpTimeouts.defaults());
        return relyingParty;
      } catch (OidcException e) {
        lastFailure = now;
        lastError = e;
        throw e;
      } catch (RuntimeException e) {
        lastFailure = now;
        lastError = new OidcException(OidcFailure.DISCOVERY_FAILED, "provider " + config.name() + ": " + e.getMessage(), e);
        throw lastError;
      }
    }

    private OidcProviderSettings settings() {
      return new OidcProviderSettings(
          config.name(), config.issuer(), config.clientId(), config.clientSecret().map(secret -> secret.value()),
          config.scopes(), config.groupsClaim(), config.usernameClaim(), config.fetchUserinfo());
    }
  }
}
