package dev.portcullis.policy.internal;

import static java.util.Objects.requireNonNull;

import dev.portcullis.identity.Identity;
import dev.portcullis.policy.AppResource;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as app rule criteria see it, with its inputs prepared once: the upper-case method, the
 * path readings, and (only if a CEL expression asks) the CEL variables.
 */
public final class EvaluationContext {
  private final Identity identity;
  private final List<String> roles;
  private final AppResource app;
  private final String method;
  private final RequestPath path;
  private final InetAddress source;
  private final Instant time;
  private Map<String, Object> celVariables;

  public EvaluationContext(
      Identity identity, List<String> roles, AppResource app, String method, RequestPath path,
      InetAddress source, Instant time) {
    this.identity = requireNonNull(identity, "identity");
    this.roles = List.copyOf(roles);
    this.app = requireNonNull(app, "app");
    this.method = method.toUpperCase(Locale.ROOT);
    this.path = requireNonNull(path, "path");
    this.source = requireNonNull(source, "source");
    this.time = requireNonNull(time, "time");
  }

  public Identity identity() {
    return identity;
  }

  public List<String> roles() {
    return roles;
  }

  public AppResource app() {
    return app;
  }

  /** The HTTP method in upper case, so {@code post} cannot dodge a rule on {@code POST}. */
  public String method() {
    return method;
  }

  public RequestPath path() {
    return path;
  }

  public InetAddress source() {
    return source;
  }

  public Instant time() {
    return time;
  }

  /** The CEL variables {@code user}, {@code request} and {@code app}, built on first use. */
  public Map<String, Object> celVariables() {
    if (celVariables == null) {
      celVariables = CelVariables.of(this);
    }
    return celVariables;
  }
}
