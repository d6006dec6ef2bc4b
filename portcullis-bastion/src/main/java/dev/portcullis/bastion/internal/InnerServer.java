package dev.portcullis.bastion.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.io.IoService;
import org.apache.sshd.common.io.IoServiceEventListener;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.session.helpers.AbstractSession;
import org.apache.sshd.common.util.closeable.AbstractCloseable;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSessionImpl;
import org.apache.sshd.server.session.SessionFactory;

/**
 * The bastion's inner, terminating SSH server. It listens nowhere: each of its sessions runs on an outer jump
 * channel in this process ({@link #open}), with the hop the outer listener authorized attached before the session
 * says a word.
 */
final class InnerServer extends SshServer {
  /** The authorized hop of an inner session, set when the session is created and never changed. */
  static final AttributeKey<JumpTarget> TARGET = new AttributeKey<>();

  private final Sessions sessions = new Sessions();

  /** The hop of {@code session}, or empty for a session that did not come through a jump (there are none). */
  static Optional<JumpTarget> target(AttributeRepository session) {
    return Optional.ofNullable(session.getAttribute(TARGET));
  }

  /** Readies the server for {@link #open} without binding any socket. */
  void startInProcess() {
    checkConfig();
    setSessionFactory(new SessionFactory(this) {
      @Override
      protected ServerSessionImpl doCreateSession(IoSession ioSession) throws Exception {
        ServerSessionImpl session = super.doCreateSession(ioSession);
        // Before the session starts: the host certificate offered in its first key exchange is the node's.
        session.setAttribute(TARGET, ((ChannelIoSession) ioSession).target());
        return session;
      }
    });
    // Authentication timeouts, as a listening server has them.
    setupSessionTimeout(getSessionFactory());
  }

  /** The connection of a new inner session on {@code channel} for {@code target}; {@link #start} starts it. */
  ChannelIoSession newSession(HopChannel channel, JumpTarget target) {
    requireNonNull(target, "target");
    ChannelIoSession io = new ChannelIoSession(sessions.ids.incrementAndGet(), sessions, getSessionFactory(), channel,
        target, channel.getSession().getIoSession().getLocalAddress(), channel.getServerSession().getClientAddress());
    sessions.managed.put(io.getId(), io);
    return io;
  }

  /** Starts the inner session on {@code io}: it greets the client on the channel and goes on from there. */
  void start(ChannelIoSession io) throws Exception {
    getSessionFactory().sessionCreated(io);
  }

  /** The inner sessions open now. */
  List<AbstractSession> activeSessions() {
    return sessions.managed.values().stream().map(io -> AbstractSession.getSession(io, true))
        .filter(Objects::nonNull).toList();
  }

  /** Closes every inner session, then the server. */
  void shutdown() throws IOException {
    for (IoSession io : List.copyOf(sessions.managed.values())) {
      io.close(true);
    }
    close(true);
  }

  /** The inner sessions, as MINA's I/O service would list the connections of a listening server. */
  static final class Sessions extends AbstractCloseable implements IoService {
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, IoSession> managed = new ConcurrentHashMap<>();
    private volatile IoServiceEventListener listener;

    @Override
    public Map<Long, IoSession> getManagedSessions() {
      return Map.copyOf(managed);
    }

    void remove(IoSession session) {
      managed.remove(session.getId());
    }

    @Override
    public IoServiceEventListener getIoServiceEventListener() {
      return listener;
    }

    @Override
    public void setIoServiceEventListener(IoServiceEventListener listener) {
      this.listener = listener;
    }
  }
}
