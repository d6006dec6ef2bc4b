package dev.portcullis.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.portcullis.config.internal.Check;
import dev.portcullis.config.internal.Urls;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A web app behind the proxy.
 *
 * @param name {@code [a-z0-9-]{1,63}}, unique
 * @param host the public host name (lower case, no port); host and path prefix are unique across apps
 * @param pathPrefix the path under that host served by this app; default {@code /}
 * @param upstream where requests go: {@code http(s)://host[:port]}
 * @param labels labels that roles match on
 * @param publicApp {@code public: true} serves the app without any sign-in; default false
 * @param publicPaths path prefixes reachable without sign-in (segment-aware); default none
 * @param preserveHost whether to send the public {@code Host} upstream instead of the upstream's; default false
 * @param upstreamTls extra trust and SNI for an https upstream
 * @param timeouts upstream timeouts
 * @param rules per-app allow and deny rules on top of roles
 */
public record AppConfig(
    String name,
    String host,
    String pathPrefix,
    URI upstream,
    Map<String, String> labels,
    @JsonProperty("public") boolean publicApp,
    List<String> publicPaths,
    boolean preserveHost,
    Optional<UpstreamTlsConfig> upstreamTls,
    AppTimeouts timeouts,
    AppRules rules) {
  public static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,63}");
  private static final Pattern HOST =
      Pattern.compile("(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
  private static final String UPSTREAM = "http://host[:port] or https://host[:port]";

  public AppConfig {
    Check.matches(name, NAME, "name", "1-63 characters a-z, 0-9 or -");
    String givenHost = Check.required(host, "host", "the public host name, for example whoami.example.com");
    host = givenHost.toLowerCase(Locale.ROOT);
    Check.that(HOST.matcher(host).matches(), "host", () -> Check.quote(givenHost)
        + " is not a host name (expected: a DNS name such as whoami.example.com, without port)");
    pathPrefix = pathPrefix == null ? "/" : PathPrefixes.normalize(pathPrefix, List.of("path_prefix"));
    Check.required(upstream, "upstream", UPSTREAM);
    Urls.requireHttpUrl(upstream, "upstream", true, UPSTREAM);
    upstream = Urls.origin(upstream, "upstream", UPSTREAM);
    labels = Collections.unmodifiableMap(new TreeMap<>(Check.map(labels, "labels")));
    for (String key : labels.keySet()) {
      Check.that(RoleConditions.LABEL_KEY.matcher(key).matches(), "labels", () -> "label key " + Check.quote(key)
          + " is not valid (expected: 1-63 characters A-Z, a-z, 0-9, /, ., _ or -)");
    }
    publicPaths = PathPrefixes.normalize(publicPaths, "public_paths");
    upstreamTls = upstreamTls == null ? Optional.empty() : upstreamTls;
    timeouts = timeouts == null ? AppTimeouts.DEFAULT : timeouts;
    rules = rules == null ? AppRules.NONE : rules;
    // Rules on a public app would never run; refusing them stops a reader from believing they protect it.
    Check.that(!publicApp || !rules.hasRules(), "rules",
        () -> "have no effect on a public app (expected: no rules when public is true)");
  }
}
