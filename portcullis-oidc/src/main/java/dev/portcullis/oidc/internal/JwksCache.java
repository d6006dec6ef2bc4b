package dev.portcullis.oidc.internal;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.portcullis.oidc.HttpTimeouts;
import dev.portcullis.oidc.OidcException;
import dev.portcullis.oidc.OidcFailure;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider's signing keys, fetched on first use and refreshed when a token names a key we do not
 * know (key rotation). Refreshes are rate-limited so forged {@code kid}s cannot turn us into a
 * traffic amplifier; a failed fetch never makes a key acceptable.
 */
public final class JwksCache {

  /** At most one JWKS fetch per provider in this interval, whatever tokens arrive. */
  public static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(JwksCache.class);

  private final String provider;
  private final URI jwksUri;
  private final HttpTimeouts timeouts;
  private final InstantSource clock;
  private final Object fetchLock = new Object();
  private volatile JWKSet keys;
  /** The last refresh or failed fetch; null until one happens. Guarded by fetchLock. */
  private Instant lastFetch;

  public JwksCache(String provider, URI jwksUri, HttpTimeouts timeouts, InstantSource clock) {
    this.provider = provider;
    this.jwksUri = jwksUri;
    this.timeouts = timeouts;
    this.clock = clock;
  }

  /** The keys that may have signed a token with this header; never empty. */
  public List<JWK> keysFor(JWSHeader header) throws OidcException {
    JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(header));
    JWKSet current = keys;
    if (current != null) {
      List<JWK> found = selector.select(current);
      if (!found.isEmpty()) {
        return found;
      }
    }
    synchronized (fetchLock) {
      // Another thread may have refreshed while we waited for the lock.
      if (keys != current) {
        List<JWK> found = selector.select(keys);
        if (!found.isEmpty()) {
          return found;
        }
      }
      Instant now = clock.instant();
      if (lastFetch != null && now.isBefore(lastFetch.plus(MIN_REFRESH_INTERVAL))) {
        throw missing(header);
      }
      boolean initialLoad = keys == null;
      lastFetch = now;
      keys = fetch();
      if (initialLoad) {
        // A first load is not a refresh: the next unknown kid (a rotation) may still refresh at once.
        lastFetch = null;
      }
      List<JWK> found = selector.select(keys);
      if (found.isEmpty()) {
        throw missing(header);
      }
      return found;
    }
  }

  private OidcException missing(JWSHeader header) {
    if (keys == null) {
      return new OidcException(OidcFailure.JWKS_UNAVAILABLE,
          "provider " + provider + ": no signing keys loaded; the last fetch failed under "
              + MIN_REFRESH_INTERVAL.toSeconds() + " s ago");
    }
    return new OidcException(OidcFailure.UNKNOWN_KEY,
        "provider " + provider + ": no " + header.getAlgorithm() + " key with kid " + header.getKeyID()
            + " in the JWKS at " + jwksUri);
  }

  private JWKSet fetch() throws OidcException {
    log.debug("provider {}: fetching JWKS from {}", provider, jwksUri);
    try {
      HTTPResponse response = Http.send(new HTTPRequest(HTTPRequest.Method.GET, jwksUri), timeouts);
      if (response.getStatusCode() != 200) {
        throw unavailable("JWKS answered HTTP " + response.getStatusCode(), null);
      }
      // Keep only public keys: a provider that leaks private parts must not change what we verify with.
      return JWKSet.parse(response.getBody()).toPublicJWKSet();
    } catch (IOException e) {
      throw unavailable("JWKS request failed: " + e.getMessage(), e);
    } catch (ParseException e) {
      throw unavailable("JWKS is not a valid JWK set: " + e.getMessage(), null);
    }
  }

  private OidcException unavailable(String detail, Throwable cause) {
    log.warn("provider {}: {} ({})", provider, detail, jwksUri);
    return new OidcException(OidcFailure.JWKS_UNAVAILABLE, "provider " + provider + ": " + detail, cause);
  }
}
