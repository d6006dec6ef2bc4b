package dev.portcullis.bastion.internal;

import dev.portcullis.audit.AuditCode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.server.session.ServerUserAuthServiceFactory;
import org.apache.sshd.server.subsystem.SubsystemFactory;

/**
 * Builds the bastion's two MINA servers: the outer listener users connect to, and the inner server that
 * terminates each {@code ssh -J} hop on its jump channel, in process, authorizes its login and relays it. An outer
 * connection whose user name is {@code LOGIN@NODE} is terminated and relayed in the same way without a jump. Both
 * take Portcullis certificates only, and both explain refusals.
 */
final class BastionListeners {
  private BastionListeners() {}

  static SshServer outer(BastionContext context, InetSocketAddress listen, List<String> hostNames, InnerServer inner,
      HostCertificates certificates) {
    SshServer server = common(SshServer.setUpDefaultServer(), certificates);
    server.setHost(listen.getHostString());
    server.setPort(listen.getPort());
    server.setHostKeyCertificateProvider(session -> List.of(certificates.forNames(hostNames)));
    HopAuthorizer authorizer = new HopAuthorizer(context);
    server.setPublickeyAuthenticator(new OuterAuthenticator(context, authorizer));
    // A jump connection only jumps: its channels are jumps to nodes; a shell or command gets an explanation.
    relays(server, context, session -> new ChannelSession(), session -> new JumpChannel(context, inner, authorizer),
        () -> new JumpHostOnly(hostNames.getFirst(), listen.getPort()));
    return server;
  }

  static InnerServer inner(BastionContext context, HostCertificates certificates) {
    InnerServer server = (InnerServer) common(ServerBuilder.builder().factory(InnerServer::new).build(), certificates);
    server.setHostKeyCertificateProvider(session -> InnerServer.target(session)
        .map(target -> List.of(certificates.forNames(List.of(target.node().name()))))
        .orElse(List.of()));
    server.setPublickeyAuthenticator(new InnerAuthenticator(context, new HopAuthorizer(context)));
    // Every inner session that can open a channel has authenticated, so it has a hop.
    relays(server, context, session -> null, session -> null, () -> null);
    return server;
  }

  /**
   * Terminates and relays the channels of a connection with an authorized hop ({@link InnerHop}); those of any
   * other connection go to the given factories ({@code null}: refused). Forwarding requests are refused and
   * audited unless the relay carries them (port and agent forwarding, when a role allows).
   */
  private static void relays(SshServer server, BastionContext context, ChannelCreator otherSession,
      ChannelCreator otherDirectTcpip, Supplier<Command> otherCommand) {
    server.setChannelFactories(List.of(
        channel("session", session -> hop(session) ? new RelayChannel(context) : otherSession.create(session)),
        channel("direct-tcpip", session -> hop(session) ? new ForwardChannel(context) : otherDirectTcpip.create(session))));
    server.setShellFactory(channel -> hop(channel.getServerSession())
        ? new RelayCommand(context, SessionKind.SHELL, "") : otherCommand.get());
    server.setCommandFactory((channel, command) -> hop(channel.getServerSession())
        ? new RelayCommand(context, SessionKind.EXEC, command) : otherCommand.get());
    server.setSubsystemFactories(List.of(new SubsystemFactory() {
      @Override
      public String getName() {
        return "sftp";
      }

      @Override
      public Command createSubsystem(ChannelSession channel) {
        return hop(channel.getServerSession()) ? new RelayCommand(context, SessionKind.SUBSYSTEM, "sftp")
            : otherCommand.get();
      }
    }));
    // A jump channel connects nowhere itself (the inner server runs on it), so MINA's own forwarding stays off.
    server.setForwardingFilter(new Filter() {
      @Override
      public boolean canListen(SshdSocketAddress address, Session session) {
        InnerHop hop = session.getAttribute(InnerHop.KEY);
        if (hop != null) {
          context.background.execute(() -> SessionAudit.record(context.services.audit(), hop.target, hop.login,
              AuditCode.SSH_FORWARD_REFUSED, null, Map.of("forward", "remote", "listen", address.toString()),
              List.of("remote forwarding is not carried through the bastion")));
        }
        return false;
      }
    });
    server.addSessionListener(new SessionListener() {
      @Override
      public void sessionClosed(Session session) {
        InnerHop hop = session.getAttribute(InnerHop.KEY);
        if (hop != null) {
          hop.releaseUpstream();
        }
      }
    });
  }

  private static boolean hop(Session session) {
    return session.getAttribute(InnerHop.KEY) != null;
  }

  private static SshServer common(SshServer server, HostCertificates certificates) {
    server.setKeyPairProvider(KeyPairProvider.wrap(certificates.key()));
    server.setCipherFactories(Crypto.ciphers());
    server.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
    server.setPasswordAuthenticator(null);
    server.setKeyboardInteractiveAuthenticator(null);
    server.setGSSAuthenticator(null);
    server.setHostBasedAuthenticator(null);
    server.setServiceFactories(List.of(ServerUserAuthServiceFactory.INSTANCE, new ExplainingConnectionService.Factory()));
    // Interactive sessions may sit idle for hours, as with OpenSSH; locks and expiry end them instead.
    CoreModuleProperties.IDLE_TIMEOUT.set(server, Duration.ZERO);
    CoreModuleProperties.AUTH_TIMEOUT.set(server, Duration.ofSeconds(30));
    CoreModuleProperties.TCP_NODELAY.set(server, true);
    // OpenSSH's own channel window. With 8 MiB, the user's ssh -J sometimes buffered so much that glibc served
    // its buffers from fresh mmaps: 15-25x the page faults, 3x its CPU per MiB, half the throughput, at random.
    CoreModuleProperties.WINDOW_SIZE.set(server, 2L * 1024 * 1024);
    CoreModuleProperties.NIO2_READ_BUFFER_SIZE.set(server, 256 * 1024);
    return server;
  }

  private static ChannelFactory channel(String name, ChannelCreator creator) {
    return new ChannelFactory() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public org.apache.sshd.common.channel.Channel createChannel(Session session) {
        return creator.create((ServerSession) session);
      }
    };
  }

  private interface ChannelCreator {
    org.apache.sshd.common.channel.Channel create(ServerSession session);
  }

  /** Refuses everything it is not told to allow. */
  private abstract static class Filter implements ForwardingFilter {
    @Override
    public boolean canForwardAgent(Session session, String requestType) {
      return false;
    }

    @Override
    public boolean canForwardX11(Session session, String requestType) {
      return false;
    }

    @Override
    public boolean canListen(SshdSocketAddress address, Session session) {
      return false;
    }

    @Override
    public boolean canConnect(TcpForwardingFilter.Type type, SshdSocketAddress address, Session session) {
      return false;
    }
  }
}
