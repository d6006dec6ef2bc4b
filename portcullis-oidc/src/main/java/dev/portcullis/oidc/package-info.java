/**
 * OpenID Connect relying party: one {@link dev.portcullis.oidc.OidcRelyingParty} per provider, built on
 * Nimbus. A sign-in is two calls around a browser redirect:
 *
 * <pre>{@code
 * OidcRelyingParty rp = OidcRelyingParty.discover(settings, clock, HttpTimeouts.defaults());
 * AuthorizationStart start = rp.start(callbackUri);
 * store.put(start.pending().state(), start.pending().toJson());      // server-side, single use
 * // redirect the browser to start.authorizationUrl(); on the callback:
 * PendingAuthorization pending = PendingAuthorization.fromJson(store.remove(params.get("state")));
 * OidcLogin login = rp.complete(pending, params);                     // throws OidcException
 * }</pre>
 *
 * Failures carry a stable {@link dev.portcullis.oidc.OidcFailure} code and never contain tokens.
 */
package dev.portcullis.oidc;
