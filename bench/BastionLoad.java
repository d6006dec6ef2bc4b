import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.BuiltinKEM;
import org.apache.sshd.common.kex.KeyEncapsulationMethod;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * The closed-loop load generator of bench/bastion-vs-sshd.sh: Apache MINA SSHD's client (from the Portcullis jar)
 * opening SSH sessions that run {@code true}, straight to the node's sshd or through the bastion, with the
 * user's Portcullis key and certificate. Real {@code ssh} processes cost 5-10 ms of client CPU each (two with -J),
 * which would cap the load generator's core far below the rates measured here.
 *
 * <p>Run it with {@code java -cp portcullis.jar bench/BastionLoad.java KEY CERT HOST_CA_KEY LOGIN NODE NODE_PORT
 * BASTION_PORT}. It then reads one command per line on standard input and answers each with one line:
 * <ul>
 *   <li>{@code check}: one session each way; prints {@code HOP ...} lines with the algorithms every hop
 *       negotiated, then {@code OK};
 *   <li>{@code open TARGET CONNECTIONS} and {@code close}: the connections {@code run channel} uses;
 *   <li>{@code run MODE TARGET SECONDS WORKERS CONNECTIONS}: MODE {@code connect} opens a new connection per
 *       session (through the bastion: a new bastion connection, a direct-tcpip jump and a new inner connection,
 *       as {@code ssh -J} does), MODE {@code channel} opens a new session channel per session on the CONNECTIONS
 *       connections opened before (as OpenSSH's ControlMaster does); TARGET is {@code direct}, {@code bastion},
 *       {@code onehop} (the bastion without a jump: user name LOGIN@NODE on the bastion's port) or {@code jump}:
 *       plain OpenSSH as the jump host (the node's own sshd forwarding to itself), the peer;
 *       prints one {@code BENCH ...} line;
 *   <li>{@code kex-cost}: what one key exchange costs this JVM on each side, per method MINA takes (BouncyCastle's
 *       post-quantum KEMs, the JDK's X25519); prints {@code KEX ...} lines;
 *   <li>{@code quit}.
 * </ul>
 * Every session must end with exit status 0; failures are counted and the first few printed on stderr.
 */
public final class BastionLoad {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int SSH_PORT = 22;

  private final BenchClient client;
  private final KeyPair identity;
  private final String login;
  private final String node;
  private final int nodePort;
  private final int bastionPort;
  private final AtomicLong failuresShown = new AtomicLong();
  private final List<Connection> opened = new ArrayList<>();
  private String openedTarget;

  private BastionLoad(BenchClient client, KeyPair identity, String login, String node, int nodePort, int bastionPort) {
    this.client = client;
    this.identity = identity;
    this.login = login;
    this.node = node;
    this.nodePort = nodePort;
    this.bastionPort = bastionPort;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 7) {
      System.err.println("usage: BastionLoad KEY CERT HOST_CA_KEY LOGIN NODE NODE_PORT BASTION_PORT");
      System.exit(2);
    }
    PublicKey certificate = parseKey(Files.readString(Path.of(args[1])));
    if (!(certificate instanceof OpenSshCertificate)) {
      throw new IllegalArgumentException(args[1] + ": not an OpenSSH certificate");
    }
    KeyPair key = new FileKeyPairProvider(Path.of(args[0])).loadKeys(null).iterator().next();
    PublicKey hostCa = parseKey(Files.readString(Path.of(args[2])));
    BenchClient client = newClient(hostCa);
    BastionLoad load = new BastionLoad(client, new KeyPair(certificate, key.getPrivate()), args[3], args[4],
        Integer.parseInt(args[5]), Integer.parseInt(args[6]));
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      for (String line = commands.readLine(); line != null; line = commands.readLine()) {
        String[] words = line.strip().split("\\s+");
        try {
          switch (words[0]) {
            case "check" -> load.check();
            case "kex-cost" -> kexCost();
            case "open" -> load.open(words[1], Integer.parseInt(words[2]));
            case "close" -> {
              load.close();
              System.out.println("CLOSED");
            }
            case "run" -> load.run(words[1], words[2], Integer.parseInt(words[3]), Integer.parseInt(words[4]),
                Integer.parseInt(words[5]));
            case "quit" -> {
              return;
            }
            default -> System.out.println("ERROR unknown command: " + line);
          }
        } catch (Exception e) {
          e.printStackTrace();
          System.out.println("ERROR " + line + ": " + e);
        }
        System.out.flush();
      }
    } finally {
      client.stop();
    }
  }

  /**
   * The client every session uses. It offers OpenSSH 9.2's ssh key exchanges in the same order, except
   * sntrup761x25519, whose client side costs BouncyCastle's Java ~85 ms of CPU (kex-cost): with it, this generator
   * would saturate its core at a few sessions per second. BENCH_KEX (names, comma-separated) replaces the list.
   * AES-GCM first among the ciphers: both servers take it, and it is what the bastion prefers.
   */
  private static BenchClient newClient(PublicKey hostCa) {
    BenchClient client = (BenchClient) ClientBuilder.builder().factory(BenchClient::new).build();
    List<BuiltinDHFactories> kex = List.of(BuiltinDHFactories.curve25519, BuiltinDHFactories.curve25519_libssh,
        BuiltinDHFactories.ecdhp256, BuiltinDHFactories.ecdhp384, BuiltinDHFactories.ecdhp521,
        BuiltinDHFactories.dhgex256, BuiltinDHFactories.dhg16_512, BuiltinDHFactories.dhg18_512,
        BuiltinDHFactories.dhg14_256);
    String chosen = System.getenv("BENCH_KEX");
    if (chosen != null && !chosen.isBlank()) {
      kex = Arrays.stream(chosen.split(",")).map(name -> {
        BuiltinDHFactories factory = BuiltinDHFactories.fromFactoryName(name.strip());
        if (factory == null) {
          throw new IllegalArgumentException("BENCH_KEX: unknown key exchange " + name);
        }
        return factory;
      }).toList();
    }
    client.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(false, kex, ClientBuilder.DH2KEX));
    client.setCipherFactories(List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128ctr,
        BuiltinCiphers.aes256ctr));
    client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    // Only a host certificate from the Portcullis host CA; MINA has checked its signature, validity and that it
    // names the host dialed.
    client.setServerKeyVerifier((session, remote, serverKey) -> serverKey instanceof OpenSshCertificate cert
        && cert.getType() == OpenSshCertificate.Type.HOST && KeyUtils.compareKeys(cert.getCaPubKey(), hostCa));
    CoreModuleProperties.ABORT_ON_INVALID_CERTIFICATE.set(client, true);
    CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
    client.start();
    return client;
  }

  /** Exposes MINA's connect to an address that carries the host name the server's certificate must name. */
  static final class BenchClient extends SshClient {
    ConnectFuture connectNamed(String user, String name, int port) throws IOException {
      InetSocketAddress address = new InetSocketAddress(InetAddress.getByAddress(name, new byte[] {127, 0, 0, 1}), port);
      HostConfigEntry entry = new HostConfigEntry(name, name, port, user);
      entry.setIdentitiesOnly(true);
      return doConnect(user, address, null, null, KeyIdentityProvider.EMPTY_KEYS_PROVIDER, entry);
    }
  }

  /** One logged-in SSH connection to the node, and for a jump the bastion connection and forward it runs over. */
  private record Connection(ClientSession session, ClientSession outer, ExplicitPortForwardingTracker jump)
      implements AutoCloseable {
    @Override
    public void close() {
      session.close(true);
      if (jump != null) {
        try {
          jump.close();
        } catch (IOException e) {
          // Closing anyway.
        }
      }
      if (outer != null) {
        outer.close(true);
      }
    }
  }

  private ClientSession login(String name, int port) throws IOException {
    return login(login, name, port);
  }

  private ClientSession login(String user, String name, int port) throws IOException {
    ClientSession session = client.connectNamed(user, name, port).verify(TIMEOUT).getSession();
    try {
      session.addPublicKeyIdentity(identity);
      session.auth().verify(TIMEOUT);
      return session;
    } catch (IOException | RuntimeException e) {
      session.close(true);
      throw e;
    }
  }

  /**
   * A new connection to the node as {@code login}: direct to its sshd, or as {@code ssh -J} goes through the
   * bastion (log in to the bastion, open a direct-tcpip channel to NODE:22 on that connection, run the node's SSH
   * connection over it). As MINA's own ProxyJump support, the channel is reached through a local forward.
   */
  private Connection connect(String target) throws IOException {
    if (target.equals("direct")) {
      return new Connection(login(node, nodePort), null, null);
    }
    if (target.equals("onehop")) {
      return new Connection(login(login + "@" + node, "127.0.0.1", bastionPort), null, null);
    }
    // "jump": plain OpenSSH as the jump host, the node's own sshd forwarding to itself; "bastion": Portcullis.
    boolean openSsh = target.equals("jump");
    ClientSession outer = login("127.0.0.1", openSsh ? nodePort : bastionPort);
    try {
      ExplicitPortForwardingTracker jump = outer.createLocalPortForwardingTracker(new SshdSocketAddress("127.0.0.1", 0),
          openSsh ? new SshdSocketAddress("127.0.0.1", nodePort) : new SshdSocketAddress(node, SSH_PORT));
      ClientSession inner = login(node, jump.getBoundAddress().getPort());
      return new Connection(inner, outer, jump);
    } catch (IOException | RuntimeException e) {
      outer.close(true);
      throw e;
    }
  }

  /** Runs {@code command} on a new session channel; returns its standard output, or fails unless it exits 0. */
  private static String exec(ClientSession session, String command) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    try (ChannelExec channel = session.createExecChannel(command)) {
      channel.setOut(out);
      channel.setErr(err);
      channel.open().verify(TIMEOUT);
      channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TIMEOUT);
      Integer status = channel.getExitStatus();
      if (status == null || status != 0) {
        throw new IOException("'" + command + "' ended with exit status " + status + ": "
            + err.toString(StandardCharsets.UTF_8).strip());
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private void check() throws IOException {
    for (String target : List.of("direct", "bastion", "onehop")) {
      try (Connection connection = connect(target)) {
        String seen = exec(connection.session(), "echo bench-$((6*7)) $(id -un)").strip();
        if (!seen.equals("bench-42 " + login)) {
          throw new IOException(target + ": expected 'bench-42 " + login + "', got '" + seen + "'");
        }
        if (target.equals("bastion")) {
          System.out.println("HOP generator->bastion " + algorithms(connection.outer()));
          System.out.println("HOP generator->bastion-inner " + algorithms(connection.session()));
        } else if (target.equals("onehop")) {
          System.out.println("HOP generator->bastion-onehop " + algorithms(connection.session()));
        } else {
          System.out.println("HOP generator->sshd " + algorithms(connection.session()));
        }
      }
    }
    System.out.println("OK");
  }

  private static String algorithms(ClientSession session) {
    return "kex=" + session.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS)
        + " hostkey=" + session.getNegotiatedKexParameter(KexProposalOption.SERVERKEYS)
        + " cipher=" + session.getNegotiatedKexParameter(KexProposalOption.C2SENC)
        + " mac=" + session.getNegotiatedKexParameter(KexProposalOption.C2SMAC);
  }

  /** Opens the connections that {@code run channel} then uses, so that their setup is not part of a slice. */
  private void open(String target, int connections) throws IOException {
    close();
    for (int i = 0; i < connections; i++) {
      opened.add(connect(target));
    }
    openedTarget = target;
    System.out.println("OPENED " + connections + " " + target);
  }

  private void close() {
    opened.forEach(Connection::close);
    opened.clear();
    openedTarget = null;
  }

  private void run(String mode, String target, int seconds, int workers, int connections) throws Exception {
    if (!mode.equals("connect") && !mode.equals("channel")) {
      throw new IllegalArgumentException("mode: " + mode + " (expected: connect or channel)");
    }
    if (!List.of("direct", "jump", "bastion", "onehop").contains(target)) {
      throw new IllegalArgumentException("target: " + target + " (expected: direct, jump, bastion or onehop)");
    }
    List<Connection> shared = List.of();
    if (mode.equals("channel")) {
      if (opened.size() != connections || !target.equals(openedTarget)) {
        throw new IllegalStateException("channel mode needs 'open " + target + " " + connections + "' first (open: "
            + opened.size() + " to " + openedTarget + ")");
      }
      shared = List.copyOf(opened);
    }
    long cpuBefore = processCpuNanos();
    long start = System.nanoTime();
    long deadline = start + seconds * 1_000_000_000L;
    // Per session: when it ended and how long it took. Sessions that end after the deadline (the drain) count
    // for CPU per session, not for the rate or the percentiles, so the rate is that of full concurrency.
    ConcurrentLinkedQueue<long[]> results = new ConcurrentLinkedQueue<>();
    AtomicLong failures = new AtomicLong();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(workers);
    for (int w = 0; w < workers; w++) {
      Connection connection = shared.isEmpty() ? null : shared.get(w % shared.size());
      Thread.ofPlatform().name("worker-" + w).start(() -> {
        long[] ends = new long[1024];
        long[] took = new long[1024];
        int n = 0;
        try {
          while (System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            try {
              if (connection == null) {
                try (Connection fresh = connect(target)) {
                  exec(fresh.session(), "true");
                }
              } else {
                exec(connection.session(), "true");
              }
              long t1 = System.nanoTime();
              if (n == ends.length) {
                ends = Arrays.copyOf(ends, n * 2);
                took = Arrays.copyOf(took, n * 2);
              }
              ends[n] = t1;
              took[n++] = t1 - t0;
            } catch (IOException | RuntimeException e) {
              failures.incrementAndGet();
              firstFailure.compareAndSet(null, e.toString());
              if (failuresShown.incrementAndGet() <= 5) {
                System.err.println("BastionLoad: " + target + " " + mode + " session failed: " + e);
              }
              Thread.sleep(10);
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          for (int i = 0; i < n; i++) {
            results.add(new long[] {ends[i], took[i]});
          }
          done.countDown();
        }
      });
    }
    done.await();
    long elapsed = System.nanoTime() - start;
    long cpu = processCpuNanos() - cpuBefore;
    long[] inWindow = results.stream().filter(r -> r[0] <= deadline).mapToLong(r -> r[1]).sorted().toArray();
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("mode", mode);
    fields.put("target", target);
    fields.put("workers", Integer.toString(workers));
    fields.put("connections", Integer.toString(mode.equals("channel") ? connections : 0));
    fields.put("sessions", Integer.toString(inWindow.length));
    fields.put("window_us", Long.toString((deadline - start) / 1000));
    fields.put("sessions_total", Integer.toString(results.size()));
    fields.put("duration_us", Long.toString(elapsed / 1000));
    fields.put("failures", Long.toString(failures.get()));
    fields.put("p50_us", Long.toString(percentile(inWindow, 0.50) / 1000));
    fields.put("p99_us", Long.toString(percentile(inWindow, 0.99) / 1000));
    fields.put("client_cpu_us", Long.toString(cpu / 1000));
    StringBuilder line = new StringBuilder("BENCH");
    fields.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    if (firstFailure.get() != null) {
      line.append(" first_failure=").append(firstFailure.get().replaceAll("\\s+", "_"));
    }
    System.out.println(line);
  }

  /** Milliseconds of this thread's CPU per operation of each KEM, after a warm-up round; X25519 for scale. */
  private static void kexCost() throws Exception {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (BuiltinKEM kem : List.of(BuiltinKEM.sntrup761, BuiltinKEM.mlkem768)) {
      if (!kem.isSupported()) {
        System.out.println("KEX " + kem.getName() + " unsupported");
        continue;
      }
      int n = kem == BuiltinKEM.sntrup761 ? 10 : 200;
      long[] cpu = new long[3];
      for (int round = 0; round < 2; round++) {
        Arrays.fill(cpu, 0);
        for (int i = 0; i < n; i++) {
          long t0 = threads.getCurrentThreadCpuTime();
          KeyEncapsulationMethod.Client client = kem.getClient();
          client.init();
          byte[] publicKey = client.getPublicKey();
          long t1 = threads.getCurrentThreadCpuTime();
          KeyEncapsulationMethod.Server server = kem.getServer();
          server.init(publicKey);
          byte[] encapsulated = server.getEncapsulation();
          long t2 = threads.getCurrentThreadCpuTime();
          client.extractSecret(encapsulated);
          long t3 = threads.getCurrentThreadCpuTime();
          cpu[0] += t1 - t0;
          cpu[1] += t2 - t1;
          cpu[2] += t3 - t2;
        }
      }
      System.out.printf(java.util.Locale.ROOT, "KEX %s client_keygen_ms=%.2f server_encapsulate_ms=%.2f"
          + " client_decapsulate_ms=%.2f%n", kem.getName(), cpu[0] / 1e6 / n, cpu[1] / 1e6 / n, cpu[2] / 1e6 / n);
    }
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("X25519");
    int n = 500;
    long cpu = 0;
    for (int round = 0; round < 2; round++) {
      long t0 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        KeyPair mine = generator.generateKeyPair();
        KeyPair theirs = generator.generateKeyPair();
        javax.crypto.KeyAgreement agreement = javax.crypto.KeyAgreement.getInstance("X25519");
        agreement.init(mine.getPrivate());
        agreement.doPhase(theirs.getPublic(), true);
        agreement.generateSecret();
      }
      cpu = threads.getCurrentThreadCpuTime() - t0;
    }
    // Two key pairs and one agreement per round: one side's share is a key pair and an agreement.
    System.out.printf(java.util.Locale.ROOT, "KEX x25519 one_side_ms=%.2f%n", cpu / 1e6 / n / 1.5);
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static PublicKey parseKey(String text) throws Exception {
    String line = text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no key in " + text));
    if (line.startsWith("@cert-authority")) {
      line = line.substring(line.indexOf(' ') + 1).strip(); // drop the marker ...
      line = line.substring(line.indexOf(' ') + 1).strip(); // ... and the host pattern
    }
    return AuthorizedKeyEntry.parseAuthorizedKeyEntry(line).resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
  }
}
