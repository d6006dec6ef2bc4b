package dev.portcullis.bastion.internal;

import static java.util.Objects.requireNonNull;

import dev.portcullis.bastion.BastionServices;
import dev.portcullis.nodes.NodeRecord;
import dev.portcullis.ssh.ca.CaKey;
import dev.portcullis.ssh.ca.IssuedCertificate;
import dev.portcullis.ssh.ca.SshPublicKeys;
import dev.portcullis.ssh.ca.UserCertificateRequest;
import dev.portcullis.ssh.ca.UserExtension;
import java.io.IOException;
import java.net.SocketAddress;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.io.IoServiceFactoryFactory;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.helpers.AbstractConnectionService;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * The bastion's SSH client towards nodes. A hop gets its own connection (or the same user's parked one, see
 * {@link ParkedConnections}), authenticated with a certificate the bastion mints for exactly that user (same key
 * id, so the node's principals check judges the same person) and that login, valid for two minutes: long enough
 * to log in, useless if it leaks. The node must present a host certificate from the Portcullis host CA for its
 * enrolled name.
 */
public final class Upstream implements AutoCloseable {
  static final Duration CERTIFICATE_TTL = Duration.ofMinutes(2);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** How long a parked connection has to answer before a new one replaces it. */
  static final Duration PARKED_ANSWER_TIMEOUT = Duration.ofSeconds(2);
  private static final String KEEPALIVE = "keepalive@openssh.com";
  private static final AttributeKey<String> EXPECTED_NODE = new AttributeKey<>();
  private static final AttributeKey<Instant> VALID_BEFORE = new AttributeKey<>();

  /** Node connections as {@link ParkedConnections} sees them. */
  static final ParkedConnections.Connection<ClientSession> PARKING = new ParkedConnections.Connection<>() {
    @Override
    public boolean idle(ClientSession session) {
      if (!session.isOpen() || session.isClosing()) {
        return false;
      }
      ConnectionService service = session.getService(ConnectionService.class);
      return service instanceof AbstractConnectionService channels && channels.getChannels().isEmpty();
    }

    @Override
    public Instant validBefore(ClientSession session) {
      Instant validBefore = session.getAttribute(VALID_BEFORE);
      return validBefore == null ? Instant.MIN : validBefore;
    }

    @Override
    public void close(ClientSession session) {
      session.close(true);
    }
  };

  private final BastionServices services;
  private final SshClient client;
  private final KeyPair key;

  public Upstream(BastionServices services, IoServiceFactoryFactory io) {
    this.services = requireNonNull(services, "services");
    this.key = SshPublicKeys.generateEd25519(services.random());
    this.client = SshClient.setUpDefaultClient();
    client.setIoServiceFactoryFactory(io);
    client.setCipherFactories(Crypto.ciphers());
    client.setKeyExchangeFactories(Crypto.nodeKeyExchanges());
    client.setServerKeyVerifier(this::verifyNode);
    // Nothing of the account the server runs as may leak in: no ~/.ssh/config, no ~/.ssh/id_* keys.
    client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    // Nodes may open agent channels (relayed only where the user forwarded an agent), nothing else.
    client.setChannelFactories(List.of(AgentRelay.fromNodes()));
    CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
    CoreModuleProperties.TCP_NODELAY.set(client, true);
    CoreModuleProperties.WINDOW_SIZE.set(client, 8L * 1024 * 1024);
    CoreModuleProperties.NIO2_READ_BUFFER_SIZE.set(client, 256 * 1024);
    client.start();
  }

  /**
   * Connects and logs in to {@code node} as {@code login} for {@code user}; completes exceptionally with a
   * {@link NodeUnavailable} whose message is meant for the user.
   */
  public CompletableFuture<ClientSession> connect(NodeRecord node, BastionUser user, String login,
      Set<UserExtension> extensions) {
    CompletableFuture<ClientSession> result = new CompletableFuture<>();
    NodeAddress address;
    try {
      address = NodeAddress.parse(node.address());
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(new NodeUnavailable("node " + node.name() + " has an unusable address: "
          + e.getMessage()));
      return result;
    }
    try {
      AttributeRepository context = AttributeRepository.ofKeyValuePair(EXPECTED_NODE, node.name());
      client.connect(login, address.host(), address.port(), context).addListener(connected -> {
        if (!connected.isConnected()) {
          result.completeExceptionally(new NodeUnavailable("node " + node.name() + " (" + address
              + ") is not reachable: " + reason(connected.getException())));
          return;
        }
        ClientSession session = connected.getSession();
        try {
          IssuedCertificate issued = certificate(user, login, extensions);
          session.setAttribute(VALID_BEFORE, UserCertificates.validBefore(issued.certificate()));
          session.addPublicKeyIdentity(new KeyPair(issued.certificate(), key.getPrivate()));
          session.auth().addListener(auth -> {
            if (auth.isSuccess()) {
              result.complete(session);
            } else {
              session.close(true);
              result.completeExceptionally(new NodeUnavailable("node " + node.name() + " refused login " + login
                  + " for " + user.keyId() + ": " + reason(auth.getException())));
            }
          });
        } catch (IOException | RuntimeException e) {
          session.close(true);
          result.completeExceptionally(new NodeUnavailable("node " + node.name() + ": " + reason(e)));
        }
      });
    } catch (IOException | RuntimeException e) {
      result.completeExceptionally(new NodeUnavailable("node " + node.name() + " (" + address
          + ") is not reachable: " + reason(e)));
    }
    return result.orTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(error -> {
      Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
      if (cause instanceof java.util.concurrent.TimeoutException) {
        result.thenAccept(late -> late.close(true));
        return CompletableFuture.failedFuture(new NodeUnavailable("node " + node.name() + " (" + address
            + ") did not answer within " + CONNECT_TIMEOUT.toSeconds() + " s"));
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  /**
   * {@code parked} if it still answers, else a new connection from {@code connect}. A node that went away without
   * closing the connection (a hard reboot, a cut cable) would otherwise leave the user's channel open waiting for
   * minutes of TCP retries; one round trip (OpenSSH's own keepalive request, which any server answers, if only with
   * a failure) tells, and a node that is down then gets the clear error of a new connection.
   */
  static CompletableFuture<ClientSession> reuseIfAnswering(ClientSession parked, Duration within,
      Supplier<CompletableFuture<ClientSession>> connect) {
    CompletableFuture<Boolean> answered = new CompletableFuture<>();
    try {
      Buffer request = parked.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST, KEEPALIVE.length() + 16);
      request.putString(KEEPALIVE);
      request.putBoolean(true);
      parked.request(request, KEEPALIVE, (reply, data) -> answered.complete(true)).addListener(sent -> {
        if (sent.getException() != null) {
          answered.complete(false);
        }
      });
    } catch (IOException | RuntimeException e) {
      answered.complete(false);
    }
    return answered.completeOnTimeout(false, within.toMillis(), TimeUnit.MILLISECONDS).thenCompose(alive -> {
      if (alive) {
        return CompletableFuture.completedFuture(parked);
      }
      parked.close(true);
      return connect.get();
    });
  }

  private IssuedCertificate certificate(BastionUser user, String login, Set<UserExtension> extensions) {
    return services.userCa().issueUser(new UserCertificateRequest(key.getPublic(), user.keyId(), List.of(login),
        CERTIFICATE_TTL, extensions, List.of()));
  }

  /** Accepts only a host certificate from a trusted host CA key, for the enrolled node's name, valid now. */
  private boolean verifyNode(ClientSession session, SocketAddress remote, PublicKey serverKey) {
    AttributeRepository context = session.getConnectionContext();
    String expected = context == null ? null : context.getAttribute(EXPECTED_NODE);
    if (expected == null || !(serverKey instanceof OpenSshCertificate certificate)
        || certificate.getType() != OpenSshCertificate.Type.HOST
        || !certificate.getPrincipals().contains(expected)) {
      return false;
    }
    Instant now = services.clock().instant();
    if (now.isBefore(Instant.ofEpochSecond(certificate.getValidAfter()))
        || !now.isBefore(UserCertificates.validBefore(certificate))) {
      return false;
    }
    for (CaKey trusted : services.hostCa().keys()) {
      if (KeyUtils.compareKeys(trusted.publicKey(), certificate.getCaPubKey())) {
        return true;
      }
    }
    return false;
  }

  static String reason(Throwable error) {
    if (error == null) {
      return "no reason given";
    }
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (RuntimeException e) {
      // Closing anyway.
    }
  }

  /** The node cannot be used now; the message tells the user what happened. */
  public static final class NodeUnavailable extends RuntimeException {
    public NodeUnavailable(String message) {
      super(message, null, false, false);
    }
  }
}
