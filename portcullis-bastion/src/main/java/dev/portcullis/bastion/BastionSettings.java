package dev.portcullis.bastion;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Where the bastion listens and what it is called.
 *
 * @param listen the address clients connect to (port 0 picks a free port)
 * @param hostNames the names clients dial it by: the principals of its host certificate
 * @param watchInterval how often live sessions are checked against locks, kill requests and certificate expiry
 * @param nodeConnectionLinger how long a login to a node outlives the user's connection, for that user's next
 *     connection with the same login to the same node; never past the bastion's two-minute certificate for it;
 *     zero: every connection logs in anew
 */
public record BastionSettings(InetSocketAddress listen, List<String> hostNames, Duration watchInterval,
    Duration nodeConnectionLinger) {
  public static final Duration DEFAULT_WATCH_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_NODE_CONNECTION_LINGER = Duration.ofSeconds(30);

  public BastionSettings {
    requireNonNull(listen, "listen");
    hostNames = List.copyOf(hostNames);
    if (hostNames.isEmpty()) {
      throw new IllegalArgumentException("hostNames: [] (expected: at least the name clients dial)");
    }
    requireNonNull(watchInterval, "watchInterval");
    if (watchInterval.isNegative() || watchInterval.isZero()) {
      throw new IllegalArgumentException("watchInterval: " + watchInterval + " (expected: > 0)");
    }
    requireNonNull(nodeConnectionLinger, "nodeConnectionLinger");
    if (nodeConnectionLinger.isNegative()) {
      throw new IllegalArgumentException("nodeConnectionLinger: " + nodeConnectionLinger + " (expected: >= 0)");
    }
  }

  public BastionSettings(InetSocketAddress listen, List<String> hostNames) {
    this(listen, hostNames, DEFAULT_WATCH_INTERVAL, DEFAULT_NODE_CONNECTION_LINGER);
  }
}
