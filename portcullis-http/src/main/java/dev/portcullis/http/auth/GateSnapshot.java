package dev.portcullis.http.auth;

import dev.portcullis.config.AppConfig;
import dev.portcullis.config.IdentityProviderConfig;
import dev.portcullis.config.LocalProviderConfig;
import dev.portcullis.config.OidcProviderConfig;
import dev.portcullis.config.PortcullisConfig;
import dev.portcullis.http.server.UpstreamOptions;
import dev.portcullis.http.server.UpstreamTarget;
import dev.portcullis.policy.AppResource;
import dev.portcullis.policy.PolicyEngine;
import dev.portcullis.policy.PolicySnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything the gate derives from one version of the configuration. Built off the request path and
 * swapped atomically on reload, so a request sees one consistent version from start to end.
 */
public record GateSnapshot(
    PortcullisConfig config,
    PolicyEngine policy,
    AppRouter router,
    Map<String, SignInMethod> signInMethods,
    ReturnUrls returnUrls,
    URI publicUrl,
    String authHost) {

  /** Compiles a configuration; fails (leaving any running snapshot alone) when an upstream CA cannot be read. */
  public static GateSnapshot build(PortcullisConfig config, InstantSource clock) {
    URI publicUrl = config.server().publicUrl();
    String authHost = publicUrl.getHost().toLowerCase(Locale.ROOT);
    List<AppRoute> routes = new ArrayList<>();
    Set<String> authorities = new HashSet<>();
    authorities.add(ReturnUrls.authority(publicUrl));
    int port = publicUrl.getPort();
    for (AppConfig app : config.apps()) {
      routes.add(new AppRoute(app, new AppResource(app.name(), app.host(), app.labels()), upstreamOf(app)));
      authorities.add(app.host() + ":" + (port != -1 ? port : "https".equals(publicUrl.getScheme()) ? 443 : 80));
    }
    Map<String, SignInMethod> methods = new LinkedHashMap<>();
    for (IdentityProviderConfig provider : config.identityProviders()) {
      methods.put(provider.name(), switch (provider) {
        case OidcProviderConfig oidc -> new SignInMethod.Oidc(oidc, clock);
        case LocalProviderConfig local -> new SignInMethod.Local(local);
      });
    }
    return new GateSnapshot(
        config, new PolicyEngine(PolicySnapshot.of(config)), new AppRouter(routes), Map.copyOf(methods),
        new ReturnUrls(publicUrl, authorities), publicUrl, authHost);
  }

  /** The sign-in methods in configuration order, as the chooser page lists them. */
  List<SignInMethod> orderedSignInMethods() {
    return config.identityProviders().stream().map(p -> signInMethods.get(p.name())).toList();
  }

  /** An absolute URL on the sign-in host. */
  String authUrl(String pathAndQuery) {
    return publicUrl.getScheme() + "://" + publicUrl.getRawAuthority() + pathAndQuery;
  }

  /** An absolute URL on an app's host, on the same scheme and port as the sign-in host. */
  String appUrl(String host, String pathAndQuery) {
    int port = publicUrl.getPort();
    return publicUrl.getScheme() + "://" + host + (port == -1 ? "" : ":" + port) + pathAndQuery;
  }

  boolean secureCookies() {
    return "https".equals(publicUrl.getScheme());
  }

  private static UpstreamTarget upstreamOf(AppConfig app) {
    UpstreamOptions options = UpstreamOptions.DEFAULTS
        .withConnectTimeout(app.timeouts().connect())
        .withResponseTimeout(app.timeouts().response())
        .withIdleTimeout(app.timeouts().idle())
        .withPreserveHost(app.preserveHost());
    if (app.upstreamTls().isPresent()) {
      var tls = app.upstreamTls().get();
      if (tls.caFile().isPresent()) {
        try {
          options = options.withCaCertificates(UpstreamOptions.readCertificates(tls.caFile().get()));
        } catch (IOException e) {
          throw new UncheckedIOException("app " + app.name() + ": upstream_tls.ca_file: " + e.getMessage(), e);
        }
      }
      if (tls.serverName().isPresent()) {
        options = options.withServerName(tls.serverName().get());
      }
    }
    URI upstream = app.upstream();
    return new UpstreamTarget(app.name(), URI.create(upstream.getScheme() + "://" + upstream.getRawAuthority()), options);
  }
}
