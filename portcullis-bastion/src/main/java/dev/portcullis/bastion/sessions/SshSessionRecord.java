package dev.portcullis.bastion.sessions;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One SSH session through the bastion, live or ended: who, to which node as which login, from where, and
 * how it ended.
 *
 * @param id the session id, 1-64 characters A-Z, a-z, 0-9 and '-' (see {@link SshSessions#newId})
 * @param user the Portcullis user name
 * @param provider the identity provider that signed the user in; may be empty
 * @param node the node's name
 * @param login the account on the node
 * @param clientAddress where the user connected from, {@code host:port}; may be empty
 * @param kind what the session runs, for example {@value #SHELL}, {@value #EXEC} or {@value #SUBSYSTEM}
 * @param started when it began
 * @param ended when it ended; empty while live
 * @param endReason why it ended, for example {@code client disconnected}; present exactly when ended is
 * @param recorded whether the session has a recording
 * @param bastionId which bastion process runs (or ran) it
 */
public record SshSessionRecord(
    String id,
    String user,
    String provider,
    String node,
    String login,
    String clientAddress,
    String kind,
    Instant started,
    Optional<Instant> ended,
    Optional<String> endReason,
    boolean recorded,
    String bastionId) {
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  public static final String SHELL = "shell";
  public static final String EXEC = "exec";
  public static final String SUBSYSTEM = "subsystem";

  public SshSessionRecord {
    requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("id: '" + id + "' (expected: 1-64 characters A-Z, a-z, 0-9, '-')");
    }
    user = nonBlank("user", user);
    provider = requireNonNull(provider, "provider");
    node = nonBlank("node", node);
    login = nonBlank("login", login);
    clientAddress = requireNonNull(clientAddress, "clientAddress");
    kind = nonBlank("kind", kind);
    requireNonNull(started, "started");
    ended = ended == null ? Optional.empty() : ended;
    endReason = endReason == null ? Optional.empty() : endReason;
    if (ended.isPresent() != endReason.isPresent()) {
      throw new IllegalArgumentException("endReason: " + endReason + " with ended " + ended
          + " (expected: both present or both empty)");
    }
    bastionId = requireNonNull(bastionId, "bastionId");
  }

  /** A live session that began at {@code started}. */
  public static SshSessionRecord ofLive(String id, String user, String provider, String node, String login,
      String clientAddress, String kind, Instant started, boolean recorded, String bastionId) {
    return new SshSessionRecord(id, user, provider, node, login, clientAddress, kind, started, Optional.empty(),
        Optional.empty(), recorded, bastionId);
  }

  /** Whether it has not ended. */
  public boolean live() {
    return ended.isEmpty();
  }

  /** How long it lasted, or has lasted until {@code now} while live; never negative. */
  public Duration duration(Instant now) {
    Duration duration = Duration.between(started, ended.orElse(now));
    return duration.isNegative() ? Duration.ZERO : duration;
  }

  /** This session, ended at {@code at} for {@code reason}. */
  public SshSessionRecord endedAt(Instant at, String reason) {
    return new SshSessionRecord(id, user, provider, node, login, clientAddress, kind, started,
        Optional.of(requireNonNull(at, "at")), Optional.of(requireNonNull(reason, "reason")), recorded, bastionId);
  }

  private static String nonBlank(String name, String value) {
    requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + ": '" + value + "' (expected: not blank)");
    }
    return value;
  }
}
