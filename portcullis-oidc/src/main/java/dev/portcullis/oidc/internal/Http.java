package dev.portcullis.oidc.internal;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.portcullis.oidc.HttpTimeouts;
import java.io.IOException;

/** Sends Nimbus requests with our timeouts and without following redirects. */
public final class Http {

  private Http() {}

  public static HTTPResponse send(HTTPRequest request, HttpTimeouts timeouts) throws IOException {
    request.setConnectTimeout(Math.toIntExact(timeouts.connect().toMillis()));
    request.setReadTimeout(Math.toIntExact(timeouts.read().toMillis()));
    // A provider endpoint that redirects is misconfigured or hijacked; never carry credentials along.
    request.setFollowRedirects(false);
    return request.send();
  }
}
