package dev.portcullis.bastion.internal;

import static java.util.Objects.requireNonNull;

import dev.portcullis.ssh.ca.UserExtension;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.server.session.ServerSession;

/**
 * One authenticated login through the bastion: a user, as one login, on one node. Every channel of the inner
 * connection shares it, and with it one upstream connection to the node, opened on first use (or one the same
 * user's previous connection left parked, see {@link ParkedConnections}).
 */
final class InnerHop {
  static final AttributeKey<InnerHop> KEY = new AttributeKey<>();

  final JumpTarget target;
  final String login;
  final boolean recorded;
  final Set<UserExtension> forwarding;
  private final Supplier<CompletableFuture<ClientSession>> connect;
  private final Consumer<ClientSession> release;
  private CompletableFuture<ClientSession> upstream;
  private volatile ServerSession agentSession;

  InnerHop(JumpTarget target, String login, boolean recorded, Set<UserExtension> forwarding,
      Supplier<CompletableFuture<ClientSession>> connect, Consumer<ClientSession> release) {
    this.target = requireNonNull(target, "target");
    this.login = requireNonNull(login, "login");
    this.recorded = recorded;
    this.forwarding = Set.copyOf(forwarding);
    this.connect = requireNonNull(connect, "connect");
    this.release = requireNonNull(release, "release");
  }

  static InnerHop of(ServerSession session) {
    InnerHop hop = session.getAttribute(KEY);
    if (hop == null) {
      throw new IllegalStateException("no authenticated hop on " + session);
    }
    return hop;
  }

  boolean allows(UserExtension extension) {
    return forwarding.contains(extension);
  }

  /** The connection to the node, opened (or taken from those parked) by the first channel that needs it. */
  synchronized CompletableFuture<ClientSession> upstream() {
    if (upstream == null) {
      upstream = connect.get().thenApply(session -> {
        session.setAttribute(AgentRelay.HOP, this);
        return session;
      });
    }
    return upstream;
  }

  /** The user asked for agent forwarding on this hop's connection, and a role allows it. */
  void agentForwarded(ServerSession session) {
    if (!allows(UserExtension.AGENT_FORWARDING)) {
      throw new IllegalStateException("agent forwarding is not allowed on this hop");
    }
    agentSession = session;
  }

  /** The user's connection to ask for the agent, if the user forwarded it. */
  Optional<ServerSession> agentSession() {
    return Optional.ofNullable(agentSession);
  }

  /** The user's connection ended: its connection to the node, if one was opened, is parked or closed. */
  synchronized void releaseUpstream() {
    if (upstream != null) {
      upstream.thenAccept(session -> {
        session.removeAttribute(AgentRelay.HOP);
        release.accept(session);
      });
    }
  }
}
