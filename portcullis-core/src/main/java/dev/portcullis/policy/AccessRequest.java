package dev.portcullis.policy;

import static java.util.Objects.requireNonNull;

import dev.portcullis.identity.Identity;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * Who wants to do what, from where and when: everything {@link PolicyEngine#decide} looks at.
 *
 * @param identity the signed-in user, or empty for an anonymous request
 * @param resource what is accessed
 * @param method the HTTP method; compared in upper case
 * @param path the request path as received, starting with {@code /}; a query string is ignored.
 *     The policy resolves percent-encoding and dot segments itself, so a raw path is safe to pass.
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
      throw new IllegalArgumentException("method: \"\" (expected: an HTTP method such as GET)");
    }
    requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path: \"" + path + "\" (expected: starts with /)");
    }
    requireNonNull(sourceAddress, "sourceAddress");
    requireNonNull(time, "time");
  }
}
