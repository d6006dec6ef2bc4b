package dev.portcullis.bastion.internal;

import dev.portcullis.audit.AuditCode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.channel.ChannelSessionFactory;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.server.session.ServerUserAuthServiceFactory;
import org.apache.sshd.server.subsystem.SubsystemFactory;

/**
 * Builds the bastion's two MINA servers: the outer listener users connect to, which only jumps, and the inner
 * server that terminates each hop on its jump channel, in process, authorizes its login and relays it. Both take
 * Portcullis certificates only, and both explain refusals.
 */
final class BastionListeners {
  private BastionListeners() {}

  static SshServer outer(BastionContext context, InetSocketAddress listen, List<String> hostNames, InnerServer inner,
      HostCertificates certificates) {
    SshServer server = common(SshServer.setUpDefaultServer(), certificates);
    server.setHost(listen.getHostString());
    server.setPort(listen.getPort());
    server.setHostKeyCertificateProvider(session -> List.of(certificates.forNames(hostNames)));
    server.setPublickeyAuthenticator(new OuterAuthenticator(context));
    server.setChannelFactories(List.of(ChannelSessionFactory.INSTANCE, channel("direct-tcpip",
        session -> new JumpChannel(context, inner))));
    String hint = hostNames.getFirst() + (listen.getPort() == 22 ? "" : ":" + listen.getPort());
    server.setShellFactory(channel -> new JumpHostOnly(hint));
    server.setCommandFactory((channel, command) -> new JumpHostOnly(hint));
    // The jump channel connects nowhere itself (the inner server runs on it), so MINA's forwarding stays off.
    server.setForwardingFilter(new Filter() {});
    return server;
  }

  static InnerServer inner(BastionContext context, HostCertificates certificates) {
    InnerServer server = (InnerServer) common(ServerBuilder.builder().factory(InnerServer::new).build(), certificates);
    server.setHostKeyCertificateProvider(session -> InnerServer.target(session)
        .map(target -> List.of(certificates.forNames(List.of(target.node().name()))))
        .orElse(List.of()));
    server.setPublickeyAuthenticator(new InnerAuthenticator(context));
    server.setChannelFactories(List.of(channel("session", session -> new RelayChannel(context)),
        channel("direct-tcpip", session -> new ForwardChannel(context))));
    server.setShellFactory(channel -> new RelayCommand(context, SessionKind.SHELL, ""));
    server.setCommandFactory((channel, command) -> new RelayCommand(context, SessionKind.EXEC, command));
    server.setSubsystemFactories(List.of(new SubsystemFactory() {
      @Override
      public String getName() {
        return "sftp";
      }

      @Override
      public org.apache.sshd.server.command.Command createSubsystem(
          org.apache.sshd.server.channel.ChannelSession channel) {
        return new RelayCommand(context, SessionKind.SUBSYSTEM, "sftp");
      }
    }));
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
          hop.closeUpstream();
        }
      }
    });
    return server;
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
