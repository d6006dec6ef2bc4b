package dev.portcullis.oidc.internal;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderConfigurationRequest;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.portcullis.oidc.HttpTimeouts;
import dev.portcullis.oidc.OidcException;
import dev.portcullis.oidc.OidcFailure;
import dev.portcullis.oidc.OidcProviderSettings;
import java.io.IOException;
import java.net.URI;

/** Loads and checks a provider's {@code /.well-known/openid-configuration} (OpenID Connect Discovery 1.0). */
public final class Discovery {

  private Discovery() {}

  public static OIDCProviderMetadata fetch(OidcProviderSettings settings, HttpTimeouts timeouts) throws OidcException {
    String expectedIssuer = settings.issuer().toString();
    var request = new OIDCProviderConfigurationRequest(new Issuer(expectedIssuer));
    OIDCProviderMetadata metadata;
    try {
      HTTPResponse response = Http.send(request.toHTTPRequest(), timeouts);
      if (response.getStatusCode() != 200) {
        throw new OidcException(OidcFailure.DISCOVERY_FAILED,
            "provider " + settings.name() + ": discovery answered HTTP " + response.getStatusCode());
      }
      metadata = OIDCProviderMetadata.parse(response.getBodyAsJSONObject());
    } catch (IOException e) {
      throw new OidcException(OidcFailure.DISCOVERY_FAILED,
          "provider " + settings.name() + ": discovery request failed: " + e.getMessage(), e);
    } catch (ParseException e) {
      throw new OidcException(OidcFailure.DISCOVERY_FAILED,
          "provider " + settings.name() + ": discovery document is invalid: " + e.getMessage());
    }
    // OpenID Connect Discovery 1.0 section 4.3: the issuer must be identical, or the document is a mix-up.
    String advertised = metadata.getIssuer().getValue();
    if (!expectedIssuer.equals(advertised)) {
      throw new OidcException(OidcFailure.ISSUER_MISMATCH,
          "provider " + settings.name() + ": discovery document names issuer " + advertised
              + " (expected: " + expectedIssuer + ")");
    }
    requireEndpoint(settings, "authorization_endpoint", metadata.getAuthorizationEndpointURI(), true);
    requireEndpoint(settings, "token_endpoint", metadata.getTokenEndpointURI(), true);
    requireEndpoint(settings, "jwks_uri", metadata.getJWKSetURI(), true);
    requireEndpoint(settings, "userinfo_endpoint", metadata.getUserInfoEndpointURI(), settings.fetchUserInfo());
    requireEndpoint(settings, "end_session_endpoint", metadata.getEndSessionEndpointURI(), false);
    return metadata;
  }

  private static void requireEndpoint(OidcProviderSettings settings, String name, URI uri, boolean required)
      throws OidcException {
    if (uri == null) {
      if (required) {
        throw new OidcException(OidcFailure.DISCOVERY_FAILED,
            "provider " + settings.name() + ": discovery document lacks " + name);
      }
      return;
    }
    String problem = Transport.problem(uri);
    if (problem != null) {
      throw new OidcException(OidcFailure.DISCOVERY_FAILED,
          "provider " + settings.name() + ": " + name + " " + uri + " (expected: " + problem + ")");
    }
  }
}
