package dev.portcullis.bastion.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.ssh.ca.SshPublicKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.junit.jupiter.api.Test;

class SharedIoGroupTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /**
   * The bastion runs its listener and its node connections on one group, with as many threads as cores: one on a
   * one-core box. Both ends of a connection on a single thread must still carry a transfer larger than every window.
   */
  @Test
  void aServerAndAClientOnOneSharedThreadCarryATransferLargerThanTheirWindows() throws Exception {
    Set<String> ioThreads = ConcurrentHashMap.newKeySet();
    byte[] sent = new byte[8 * 1024 * 1024];
    new Random(7).nextBytes(sent);
    try (SharedIoGroup io = new SharedIoGroup(1)) {
      SshServer server = SshServer.setUpDefaultServer();
      server.setIoServiceFactoryFactory(io);
      server.setHost("127.0.0.1");
      server.setPort(0);
      server.setKeyPairProvider(KeyPairProvider.wrap(SshPublicKeys.generateEd25519(new SecureRandom())));
      server.setPasswordAuthenticator((user, password, session) -> {
        ioThreads.add(Thread.currentThread().getName());
        return "secret".equals(password);
      });
      server.setCommandFactory((channel, command) -> new Echo());
      server.start();
      SshClient client = SshClient.setUpDefaultClient();
      client.setIoServiceFactoryFactory(io);
      client.start();
      try (ClientSession session = client.connect("user", "127.0.0.1", server.getPort()).verify(TIMEOUT)
          .getSession()) {
        session.addPasswordIdentity("secret");
        session.auth().verify(TIMEOUT);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (ChannelExec exec = session.createExecChannel("echo")) {
          exec.setIn(new ByteArrayInputStream(sent));
          exec.setOut(received);
          exec.open().verify(TIMEOUT);
          exec.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TIMEOUT);
        }
        assertThat(received.toByteArray()).isEqualTo(sent);
      } finally {
        client.stop();
        server.stop(true);
      }
    }
    assertThat(ioThreads).singleElement().asString().startsWith("portcullis-bastion-io-");
  }

  /** Copies its input to its output on a thread of its own, then exits 0. */
  private static final class Echo implements Command {
    private InputStream in;
    private OutputStream out;
    private ExitCallback exit;

    @Override
    public void start(ChannelSession channel, Environment env) {
      InputStream from = in;
      OutputStream to = out;
      Thread.ofPlatform().daemon().start(() -> {
        try (from; to) {
          from.transferTo(to);
          exit.onExit(0);
        } catch (IOException e) {
          exit.onExit(1, e.getMessage());
        }
      });
    }

    @Override
    public void destroy(ChannelSession channel) {
      // The copy ends with the channel's streams.
    }

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
      // Not used.
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }
  }
}
