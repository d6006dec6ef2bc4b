package dev.portcullis.policy;

import static java.util.Objects.requireNonNull;

import dev.portcullis.identity.Identity;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * Who wants to do what, from where and when: everything {@link PolicyEngine#decide} looks at.
 *
 * <p>For an {@link AppResource} the action is an HTTP method and a path. For a {@link NodeResource} it is
 * the login the user wants on the node: build such requests with {@link #ssh} and read it with
 * {@link #login()}.
 *
 * @param identity the signed-in user, or empty for an anonymous request
 * @param resource what is accessed
 * @param method the HTTP method, compared in upper case; for a node, the login, compared exactly
 * @param path the request path as received, starting with {@code /}; a query string is ignored.
 *     The policy resolves percent-encoding and dot segments itself, so a raw path is safe to pass.
 *     Unused for a node ({@code /}).
 * @param sourceAddress the client's address (after trusted-proxy handling)
 * @param time when the request arrived, from the caller's clock
 */
public record AccessRequest(
    Optional<Identity> identity,
    Resource resource,
    String method,
    String path,
    InetAddress sourceAddress,
    Instant time) {

  public AccessRequest {
    requireNonNull(identity, "identity");
    requireNonNull(resource, "resource");
    requireNonNull(method, "method");
    if (method.isBlank()) {
      throw new IllegalArgumentException("method: \"\" (expected: an HTTP method such as GET, or a login for a node)");
    }
    requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path: \"" + path + "\" (expected: starts with /)");
    }
    requireNonNull(sourceAddress, "sourceAddress");
    requireNonNull(time, "time");
  }

  /** A request to log in to {@code node} as {@code login}; the policy checks that the login is well formed. */
  public static AccessRequest ssh(
      Identity identity, NodeResource node, String login, InetAddress sourceAddress, Instant time) {
    return new AccessRequest(Optional.of(requireNonNull(identity, "identity")), node, login, "/", sourceAddress, time);
  }

  /** The login asked for on a node: the {@code method} field of an {@link #ssh} request. */
  public String login() {
    if (!(resource instanceof NodeResource)) {
      throw new IllegalStateException("login: this request is for " + resource.id() + " (expected: a node request)");
    }
    return method;
  }
}
