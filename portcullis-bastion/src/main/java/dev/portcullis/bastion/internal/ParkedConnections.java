package dev.portcullis.bastion.internal;

import static java.util.Objects.requireNonNull;

import dev.portcullis.ssh.ca.UserExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Logins to nodes that outlived the user's connection, kept for a while for that user's next connection with the
 * same login to the same node. A login to a node costs the node's sshd tens of milliseconds of CPU and the user
 * a key exchange and an authentication in series (about 140 ms here); reusing one costs a channel open, as
 * OpenSSH's ControlPersist does on a laptop.
 *
 * <p>Reuse never widens access: a connection is only handed to a hop of the same user, login, node, address and
 * forwarding permissions, and only after the bastion authorized that hop as it authorizes every hop. A connection
 * is parked only with no channel open, for at most its linger and never past the certificate it logged in with
 * (two minutes), so a node's own checks at login are never older than that. A locked user's parked connections
 * close at the next watch round.
 *
 * @param <C> the connection; {@link Connection} says what this needs of it
 */
final class ParkedConnections<C> implements AutoCloseable {
  /**
   * How many logins wait for one key at most: as many as the user had connections at once, up to this. More would
   * keep the node's processes for connections the user no longer makes.
   */
  static final int MAX_PER_KEY = 16;

  /** What the parking needs of a connection. */
  interface Connection<C> {
    /** Open and not closing, with no channel open: nothing of another session can be on it. */
    boolean idle(C connection);

    /** The end of the validity of the certificate the connection logged in with. */
    Instant validBefore(C connection);

    void close(C connection);
  }

  /** Who a parked connection is logged in as, and where: only an identical hop may take it. */
  record Key(String username, String keyId, String node, String address, String login,
      Set<UserExtension> forwarding) {
    Key {
      requireNonNull(username, "username");
      requireNonNull(keyId, "keyId");
      requireNonNull(node, "node");
      requireNonNull(address, "address");
      requireNonNull(login, "login");
      forwarding = Set.copyOf(forwarding);
    }
  }

  private record Parked<C>(C connection, Instant until) {}

  private final Connection<C> connections;
  private final InstantSource clock;
  private final Duration linger;
  private final Map<Key, Deque<Parked<C>>> parked = new HashMap<>();
  private boolean closed;

  /**
   * @param linger how long a connection without channels waits for its user's next connection; zero parks none
   */
  ParkedConnections(Connection<C> connections, InstantSource clock, Duration linger) {
    this.connections = requireNonNull(connections, "connections");
    this.clock = requireNonNull(clock, "clock");
    this.linger = requireNonNull(linger, "linger");
    if (linger.isNegative()) {
      throw new IllegalArgumentException("linger: " + linger + " (expected: >= 0)");
    }
  }

  /** The most recently parked connection for {@code key} that may still be used, if any; it is no longer parked. */
  Optional<C> take(Key key) {
    List<C> stale = new ArrayList<>();
    Optional<C> taken = Optional.empty();
    synchronized (this) {
      Deque<Parked<C>> waiting = parked.get(key);
      Instant now = clock.instant();
      while (waiting != null && !waiting.isEmpty() && taken.isEmpty()) {
        Parked<C> last = waiting.pollLast();
        if (now.isBefore(last.until()) && connections.idle(last.connection())) {
          taken = Optional.of(last.connection());
        } else {
          stale.add(last.connection());
        }
      }
      if (waiting != null && waiting.isEmpty()) {
        parked.remove(key);
      }
    }
    stale.forEach(connections::close);
    return taken;
  }

  /** Keeps {@code connection} for the next hop with {@code key}, or closes it if it may not be reused. */
  void park(Key key, C connection) {
    Instant now = clock.instant();
    Instant until = min(now.plus(linger), connections.validBefore(connection));
    boolean kept = false;
    synchronized (this) {
      Deque<Parked<C>> waiting = parked.get(key);
      boolean room = waiting == null || waiting.size() < MAX_PER_KEY;
      if (!closed && now.isBefore(until) && room && connections.idle(connection)) {
        parked.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(new Parked<>(connection, until));
        kept = true;
      }
    }
    if (!kept) {
      connections.close(connection);
    }
  }

  /** Closes connections that waited long enough, and those of users who are locked now. */
  void sweep(Predicate<String> locked) {
    List<C> ending = new ArrayList<>();
    synchronized (this) {
      Instant now = clock.instant();
      for (Iterator<Map.Entry<Key, Deque<Parked<C>>>> keys = parked.entrySet().iterator(); keys.hasNext(); ) {
        Map.Entry<Key, Deque<Parked<C>>> entry = keys.next();
        boolean userLocked = locked.test(entry.getKey().username());
        entry.getValue().removeIf(waiting -> {
          boolean ends = userLocked || !now.isBefore(waiting.until()) || !connections.idle(waiting.connection());
          if (ends) {
            ending.add(waiting.connection());
          }
          return ends;
        });
        if (entry.getValue().isEmpty()) {
          keys.remove();
        }
      }
    }
    ending.forEach(connections::close);
  }

  /** How many connections wait now. */
  synchronized int size() {
    return parked.values().stream().mapToInt(Deque::size).sum();
  }

  /** Closes every parked connection; later ones are closed as they come. */
  @Override
  public void close() {
    List<C> ending = new ArrayList<>();
    synchronized (this) {
      closed = true;
      parked.values().forEach(waiting -> waiting.forEach(p -> ending.add(p.connection())));
      parked.clear();
    }
    ending.forEach(connections::close);
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
