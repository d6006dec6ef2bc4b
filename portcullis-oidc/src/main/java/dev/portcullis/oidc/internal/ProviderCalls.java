package dev.portcullis.oidc.internal;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.UserInfoSuccessResponse;
import dev.portcullis.oidc.HttpTimeouts;
import dev.portcullis.oidc.OidcException;
import dev.portcullis.oidc.OidcFailure;
import dev.portcullis.oidc.OidcProviderSettings;
import java.io.IOException;
import java.net.URI;
import java.util.Map;

/** The back-channel calls to one provider: token endpoint (code and refresh grants) and userinfo. */
public final class ProviderCalls {

  private final String provider;
  private final URI tokenEndpoint;
  private final URI userInfoEndpoint;
  private final ClientID clientId;
  private final Secret clientSecret;
  private final HttpTimeouts timeouts;

  public ProviderCalls(OidcProviderSettings settings, URI tokenEndpoint, URI userInfoEndpoint, HttpTimeouts timeouts) {
    this.provider = settings.name();
    this.tokenEndpoint = tokenEndpoint;
    this.userInfoEndpoint = userInfoEndpoint;
    this.clientId = new ClientID(settings.clientId());
    this.clientSecret = settings.clientSecret().map(Secret::new).orElse(null);
    this.timeouts = timeouts;
  }

  /**
   * Sends a grant to the token endpoint: client_secret_basic when a secret is configured, else the
   * client id alone (a public client, protected by PKCE). Fails with {@code failure} on any error.
   */
  public AccessTokenResponse token(AuthorizationGrant grant, OidcFailure failure) throws OidcException {
    TokenRequest request = clientSecret != null
        ? new TokenRequest.Builder(tokenEndpoint, new ClientSecretBasic(clientId, clientSecret), grant).build()
        : new TokenRequest.Builder(tokenEndpoint, clientId, grant).build();
    TokenResponse response;
    try {
      response = TokenResponse.parse(Http.send(request.toHTTPRequest(), timeouts));
    } catch (IOException e) {
      throw new OidcException(failure, "provider " + provider + ": token endpoint unreachable: " + e.getMessage(), e);
    } catch (ParseException e) {
      throw new OidcException(failure, "provider " + provider + ": token response is malformed: " + e.getMessage());
    }
    if (!response.indicatesSuccess()) {
      ErrorObject error = response.toErrorResponse().getErrorObject();
      throw new OidcException(failure, "provider " + provider + ": token endpoint answered HTTP "
          + error.getHTTPStatusCode() + " " + error.getCode() + describe(error));
    }
    AccessTokenResponse success = response.toSuccessResponse();
    if (success.getTokens().getBearerAccessToken() == null) {
      throw new OidcException(failure, "provider " + provider + ": token type is not Bearer");
    }
    return success;
  }

  /** The userinfo claims for this access token; only a plain JSON answer is accepted. */
  public Map<String, Object> userInfo(BearerAccessToken accessToken) throws OidcException {
    UserInfoResponse response;
    try {
      HTTPResponse http = Http.send(new UserInfoRequest(userInfoEndpoint, accessToken).toHTTPRequest(), timeouts);
      response = UserInfoResponse.parse(http);
    } catch (IOException e) {
      throw new OidcException(OidcFailure.USERINFO_FAILED,
          "provider " + provider + ": userinfo endpoint unreachable: " + e.getMessage(), e);
    } catch (ParseException e) {
      throw new OidcException(OidcFailure.USERINFO_FAILED,
          "provider " + provider + ": userinfo response is malformed: " + e.getMessage());
    }
    if (!response.indicatesSuccess()) {
      ErrorObject error = response.toErrorResponse().getErrorObject();
      throw new OidcException(OidcFailure.USERINFO_FAILED, "provider " + provider + ": userinfo answered HTTP "
          + error.getHTTPStatusCode() + " " + error.getCode() + describe(error));
    }
    UserInfoSuccessResponse success = response.toSuccessResponse();
    if (success.getUserInfo() == null) {
      throw new OidcException(OidcFailure.USERINFO_FAILED,
          "provider " + provider + ": userinfo is a JWT (expected: application/json)");
    }
    return success.getUserInfo().toJSONObject();
  }

  private static String describe(ErrorObject error) {
    return error.getDescription() == null ? "" : " (" + error.getDescription() + ")";
  }
}
