package dev.portcullis.bastion.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.identity.Identity;
import dev.portcullis.nodes.NodeRecord;
import dev.portcullis.ssh.ca.SshPublicKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.sshd.certificate.OpenSshCertificateBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.helpers.AbstractSession;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.BufferUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The inner server's sessions running on outer channels in process: a MINA client jumps through an outer server
 * whose {@code direct-tcpip} channels carry inner sessions, as {@code ssh -J} does through the bastion. Windows are
 * small so that back-pressure shows within a second, and the jump's smaller than the inner session's, so that a
 * bastion sending past the jump's window breaks the client's connection.
 */
class ChannelIoSessionTest {
  /** The windows of the jump channels, smaller than the inner sessions' ones, so the outer window is what limits. */
  private static final long OUTER_WINDOW = 64 * 1024;
  private static final long INNER_WINDOW = 512 * 1024;
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Executor READERS = Executors.newVirtualThreadPerTaskExecutor();

  private final SecureRandom random = new SecureRandom();
  private final List<TestHop> hops = new CopyOnWriteArrayList<>();
  private final Flood flood = new Flood();
  private final Sink sink = new Sink();
  private OpenSshCertificate certificate;
  private InnerServer inner;
  private SshServer outer;
  private SshClient client;

  @BeforeEach
  void start() throws Exception {
    KeyPair hostKey = SshPublicKeys.generateEd25519(random);
    certificate = OpenSshCertificateBuilder.userCertificate().serial(1).id("alice@local")
        .publicKey(SshPublicKeys.generateEd25519(random).getPublic()).principals(List.of("alice"))
        .validAfter(T0).validBefore(T0.plus(Duration.ofDays(365 * 100)))
        .sign(SshPublicKeys.generateEd25519(random), "ssh-ed25519");

    inner = (InnerServer) ServerBuilder.builder().factory(InnerServer::new).build();
    inner.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    // Only a session that carries its hop gets in, and only as the hop's user.
    inner.setPasswordAuthenticator((user, password, session) -> "inner".equals(password)
        && InnerServer.target(session).map(target -> target.user().username().equals(user)).orElse(false));
    inner.setCommandFactory((channel, command) -> switch (command) {
      case "flood" -> flood;
      case "sink" -> sink;
      default -> throw new IllegalArgumentException(command);
    });
    CoreModuleProperties.WINDOW_SIZE.set(inner, INNER_WINDOW);
    inner.startInProcess();

    outer = SshServer.setUpDefaultServer();
    outer.setHost("127.0.0.1");
    outer.setPort(0);
    outer.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    outer.setPasswordAuthenticator((user, password, session) -> "outer".equals(password));
    outer.setChannelFactories(List.of(new ChannelFactory() {
      @Override
      public String getName() {
        return "direct-tcpip";
      }

      @Override
      public org.apache.sshd.common.channel.Channel createChannel(Session session) {
        return new TestHop();
      }
    }));
    CoreModuleProperties.WINDOW_SIZE.set(outer, OUTER_WINDOW);
    outer.start();

    client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
    CoreModuleProperties.WINDOW_SIZE.set(client, OUTER_WINDOW);
    client.start();
  }

  @AfterEach
  void stop() throws IOException {
    client.stop();
    outer.stop(true);
    inner.shutdown();
  }

  @Test
  void aClientThatStopsReadingHoldsTheInnerSessionToOneWindowAndGetsEverythingIntactWhenItReadsAgain()
      throws Exception {
    try (ClientSession session = jump(); ChannelExec exec = session.createExecChannel("flood")) {
      exec.open().verify(WAIT);
      InputStream output = exec.getInvertedOut();
      // The client reads nothing: the node side may get only as far as the windows allow, then must stop.
      awaitSteady(flood.produced);
      assertThat(flood.produced.get()).as("bytes the inner command wrote while the client read nothing")
          .isGreaterThan(0).isLessThan(2 * INNER_WINDOW);
      assertThat(hops.getFirst().hop().queued()).as("bytes waiting in the bastion for the client's window")
          .isLessThan(INNER_WINDOW + INNER_WINDOW / 10);

      // Reading again must widen the windows all the way back: a stall here would hang, so it has a deadline.
      byte[] got = CompletableFuture.supplyAsync(() -> {
        try {
          return output.readNBytes(4 * 1024 * 1024);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, READERS).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      for (int i = 0; i < got.length; i++) {
        if (got[i] != Flood.at(i)) {
          throw new AssertionError("byte " + i + " is " + got[i] + ", expected " + Flood.at(i));
        }
      }
      assertThat(got).hasSize(4 * 1024 * 1024);
      assertThat(hops.getFirst().overran).as("the bastion sent past the client's window").isFalse();
      assertThat(hops.getFirst().sent.get()).isGreaterThan(got.length);
    }
  }

  @Test
  void aFastClientCannotPutMoreThanTheWindowsIntoTheBastionAndEveryByteArrivesInOrder() throws Exception {
    try (ClientSession session = jump(); ChannelExec exec = session.createExecChannel("sink")) {
      exec.open().verify(WAIT);
      OutputStream input = exec.getInvertedIn();
      byte[] sent = new byte[4 * 1024 * 1024];
      random.nextBytes(sent);
      Thread writer = Thread.ofVirtual().start(() -> {
        try {
          for (int at = 0; at < sent.length; at += 50_000) {
            input.write(sent, at, Math.min(50_000, sent.length - at));
            input.flush();
          }
          input.close();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      // The inner command does not read yet: what reached the bastion and was not consumed is bounded.
      TestHop hop = awaitHop();
      awaitSteady(hop.received);
      assertThat(hop.received.get()).as("bytes that entered the bastion while the inner command read nothing")
          .isLessThan(INNER_WINDOW + 2 * OUTER_WINDOW);

      sink.reading.countDown();
      writer.join(WAIT);
      assertThat(sink.finished.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(sink.consumed.get()).isEqualTo(sent.length);
      assertThat(sink.digest).isEqualTo(MessageDigest.getInstance("SHA-256").digest(sent));
      exec.waitFor(List.of(ClientChannelEvent.EXIT_STATUS), WAIT);
      assertThat(exec.getExitStatus()).isZero();
      assertThat(hop.overran).as("the bastion sent past the client's window").isFalse();
    }
  }

  @Test
  void closingTheOuterConnectionEndsTheInnerSession() throws Exception {
    ClientSession session = jump();
    try (ChannelExec exec = session.createExecChannel("flood")) {
      exec.open().verify(WAIT);
      assertThat(inner.activeSessions()).hasSize(1);
      TestHop hop = awaitHop();
      // The open confirmation does not wait for the exec request, which may still be on its way to the inner
      // server: close only once the command really writes, or there is no command to end.
      await(() -> flood.produced.get() > 0);
      hop.getSession().close(true);
      await(() -> inner.activeSessions().isEmpty() && flood.destroyed.getCount() == 0);
      // Its writer, blocked on a window or not, is not left hanging on a channel that is gone.
      assertThat(flood.ended.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the flood's writer ended").isTrue();
      await(session::isClosed);
    }
  }

  @Test
  void endingTheInnerSessionClosesItsJumpChannel() throws Exception {
    ClientSession session = jump();
    TestHop hop = awaitHop();
    AbstractSession innerSession = inner.activeSessions().getFirst();
    assertThat(InnerServer.target(innerSession)).isPresent();
    innerSession.close(false);
    await(hop::isClosed);
    await(session::isClosed);
    await(() -> inner.activeSessions().isEmpty());
  }

  @Test
  void theInnerServerListensNowhere() {
    assertThat(inner.isStarted()).isFalse();
    assertThat(inner.getPort()).isZero();
  }

  private ClientSession jump() throws IOException {
    HostConfigEntry entry = new HostConfigEntry("", "127.0.0.1", 22, "alice", "jumper@127.0.0.1:" + outer.getPort());
    client.setPasswordIdentityProvider(session -> List.of("outer", "inner"));
    ClientSession session = client.connect(entry).verify(WAIT).getSession();
    // The jump's own channel got the client's small window; the inner session's channels get a larger one.
    CoreModuleProperties.WINDOW_SIZE.set(session, INNER_WINDOW);
    session.auth().verify(WAIT);
    return session;
  }

  private TestHop awaitHop() throws InterruptedException {
    await(() -> !hops.isEmpty());
    return hops.getFirst();
  }

  /** Waits until {@code counter} has not moved for half a second. */
  private static void awaitSteady(AtomicLong counter) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = counter.get();
      if (now == last && now > 0) {
        return;
      }
      last = now;
      Thread.sleep(500);
    }
    throw new AssertionError("still moving after " + WAIT + ": " + counter.get());
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(20);
    }
  }

  /**
   * The outer side of a jump, as the bastion's, but to a fixed hop without authorization. It checks that the
   * bastion never sends the client more than the client's window allows.
   */
  private final class TestHop extends HopChannel {
    final AtomicLong received = new AtomicLong();
    final AtomicLong granted = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    volatile boolean overran;

    @Override
    protected OpenFuture doInit(Buffer buffer) {
      hops.add(this);
      granted.set(getRemoteWindow().getSize());
      JumpTarget target = new JumpTarget(
          new BastionUser(new Identity("alice", null, null, null, "local", "alice"), "alice@local", certificate),
          new NodeRecord("web-1", Map.of(), "127.0.0.1:22", "SHA256:none", "none", T0, T0), getServerSession(),
          "127.0.0.1");
      return openHop(buffer, inner, target);
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) {
      received.addAndGet(len);
      super.doWriteData(data, off, len);
    }

    @Override
    public IoWriteFuture writePacket(Buffer packet) throws IOException {
      int at = packet.rpos();
      if ((packet.array()[at] & 0xFF) == SshConstants.SSH_MSG_CHANNEL_DATA) {
        // command, recipient, then the data's length
        long length = BufferUtils.getUInt(packet.array(), at + 5, 4);
        if (sent.addAndGet(length) > granted.get()) {
          overran = true;
        }
      }
      return super.writePacket(packet);
    }

    @Override
    public void handleWindowAdjust(Buffer buffer) throws IOException {
      int at = buffer.rpos();
      granted.addAndGet(buffer.getUInt());
      buffer.rpos(at);
      super.handleWindowAdjust(buffer);
    }
  }

  /** Writes a known pattern for as long as it may. */
  private static final class Flood implements Command {
    final AtomicLong produced = new AtomicLong();
    final CountDownLatch destroyed = new CountDownLatch(1);
    final CountDownLatch ended = new CountDownLatch(1);
    private OutputStream out;

    static byte at(long i) {
      return (byte) (i % 251);
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
      Thread.ofVirtual().start(() -> {
        byte[] chunk = new byte[8192];
        try {
          while (destroyed.getCount() > 0) {
            long from = produced.get();
            for (int i = 0; i < chunk.length; i++) {
              chunk[i] = at(from + i);
            }
            out.write(chunk);
            out.flush();
            produced.addAndGet(chunk.length);
          }
        } catch (IOException e) {
          // The channel closed.
        } finally {
          ended.countDown();
        }
      });
    }

    @Override
    public void destroy(ChannelSession channel) {
      destroyed.countDown();
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setInputStream(InputStream in) {}

    @Override
    public void setErrorStream(OutputStream err) {}

    @Override
    public void setExitCallback(ExitCallback callback) {}
  }

  /** Reads everything once told to, and keeps its digest. */
  private static final class Sink implements Command {
    final CountDownLatch reading = new CountDownLatch(1);
    final CountDownLatch finished = new CountDownLatch(1);
    final AtomicLong consumed = new AtomicLong();
    volatile byte[] digest;
    private InputStream in;
    private ExitCallback exit;

    @Override
    public void start(ChannelSession channel, Environment env) {
      Thread.ofVirtual().start(() -> {
        try {
          reading.await();
          MessageDigest sha = MessageDigest.getInstance("SHA-256");
          byte[] buffer = new byte[65536];
          for (int n; (n = in.read(buffer)) >= 0; ) {
            sha.update(buffer, 0, n);
            consumed.addAndGet(n);
          }
          digest = sha.digest();
          finished.countDown();
          exit.onExit(0);
        } catch (Exception e) {
          exit.onExit(1, e.toString());
        }
      });
    }

    @Override
    public void destroy(ChannelSession channel) {}

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {}

    @Override
    public void setErrorStream(OutputStream err) {}

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }
  }
}
