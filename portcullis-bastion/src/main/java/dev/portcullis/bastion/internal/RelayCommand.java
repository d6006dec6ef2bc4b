package dev.portcullis.bastion.internal;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.bastion.SessionLedger;
import dev.portcullis.bastion.SessionRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.io.IoInputStream;
import org.apache.sshd.common.io.IoOutputStream;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.channel.ChannelDataReceiver;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.channel.ChannelSessionAware;
import org.apache.sshd.server.command.AsyncCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session channel through the bastion (a shell, a command or a subsystem such as sftp), relayed to the same
 * request on a channel of the node connection. Bytes flow without blocking a thread in either direction and with
 * SSH flow control end to end: the client's window grows only as bytes reach the node. Along the way it records
 * the terminal, audits commands and file operations, and keeps the session's record.
 */
final class RelayCommand implements AsyncCommand, ChannelSessionAware, ChannelDataReceiver, LiveSessions.Live {
  private static final Logger log = LoggerFactory.getLogger(RelayCommand.class);

  private final BastionContext context;
  private final SessionKind kind;
  private final String request;
  private final PipelinedSender toNode = new PipelinedSender(false);
  private final PipelinedSender toClient = new PipelinedSender(false);
  private final PipelinedSender toClientErr = new PipelinedSender(true);
  private final AtomicInteger openHalves = new AtomicInteger(3);
  private final AtomicBoolean finished = new AtomicBoolean();
  private final AtomicLong bytesIn = new AtomicLong();
  private final AtomicLong bytesOut = new AtomicLong();
  private ChannelSession channel;
  private ExitCallback exit;
  private InnerHop hop;
  private SessionAudit audit;
  private String id;
  private Instant started;
  private volatile ClientChannel node;
  private volatile SessionRecorder.Recording recording;
  private volatile SftpAuditor sftp;
  private volatile String endReason;
  private CompletableFuture<Void> auditTail = CompletableFuture.completedFuture(null);
  /** Orders input against the start of the recording: while it starts, input waits in {@link #heldInput}. */
  private final Object gate = new Object();
  /** Non-null only while a recording starts; written under {@link #gate}. */
  private volatile List<byte[]> heldInput;

  RelayCommand(BastionContext context, SessionKind kind, String request) {
    this.context = context;
    this.kind = kind;
    this.request = request;
  }

  @Override
  public void setChannelSession(ChannelSession session) {
    this.channel = session;
    session.setDataReceiver(this);
  }

  @Override
  public void setIoOutputStream(IoOutputStream stream) {
    // Output goes through toClient, which keeps several packets in flight; MINA's stream sends one at a time.
  }

  @Override
  public void setIoErrorStream(IoOutputStream stream) {
    // Errors go through toClientErr, for the same reason.
  }

  @Override
  public void setExitCallback(ExitCallback callback) {
    this.exit = callback;
  }

  @Override
  public void setIoInputStream(IoInputStream in) {
    // Input arrives through the channel's data receiver, or is not read at all.
  }

  @Override
  public void setInputStream(InputStream in) {
    // Input arrives through data(): this command is its channel's data receiver.
  }

  @Override
  public void setOutputStream(OutputStream stream) {
    // Asynchronous streams are used instead.
  }

  @Override
  public void setErrorStream(OutputStream stream) {
    // Asynchronous streams are used instead.
  }

  @Override
  public void start(ChannelSession session, Environment env) {
    hop = InnerHop.of(session.getServerSession());
    toClient.attach(session);
    toClientErr.attach(session);
    audit = new SessionAudit(context.services.audit(), hop.target, hop.login);
    id = context.services.sessions().newId();
    started = context.services.clock().instant();
    TerminalRequest terminal = TerminalRequest.of(session, env);
    CompletableFuture<ClientSession> upstream = hop.upstream(); // connects while the recording starts
    if (!(hop.recorded && terminal.pty())) {
      begin(env, terminal, upstream);
      return;
    }
    synchronized (gate) {
      heldInput = new ArrayList<>();
    }
    // Creating the recording waits for the disk: not on this I/O thread, which relays other sessions too.
    CompletableFuture.supplyAsync(() -> context.services.recordings().start(id, terminal.columns(), terminal.rows(),
        terminal.term(), hop.target.user().username() + "@" + hop.target.node().name() + " as " + hop.login),
        context.background).whenComplete((made, error) -> {
          if (error != null) {
            // A session that must be recorded and cannot be does not happen.
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            log.error("bastion session {} refused: {}", id, cause.getMessage());
            fail("the session cannot be recorded, so it is refused (" + cause.getMessage() + ")");
            return;
          }
          boolean live;
          synchronized (gate) {
            live = !finished.get();
            if (live) {
              recording = made;
              // Keystrokes that came while the recording started go first, recorded and relayed in their order.
              for (byte[] input : heldInput) {
                recordAndRelay(input);
              }
            }
            heldInput = null;
          }
          if (live) {
            begin(env, terminal, upstream);
          } else {
            made.finish(); // the session ended while its recording started
          }
        });
  }

  /** The session is recorded if it must be: now it is recorded in the ledger and the audit log, and relayed. */
  private void begin(Environment env, TerminalRequest terminal, CompletableFuture<ClientSession> upstream) {
    if (kind == SessionKind.SUBSYSTEM && request.equals("sftp")) {
      sftp = new SftpAuditor(op -> later(() -> audit.sftp(id, op)));
    }
    context.live.add(id, this);
    SessionLedger ledger = context.services.sessions();
    SessionLedger.Start start = new SessionLedger.Start(id, hop.target.user().username(),
        hop.target.user().identity().provider(), hop.target.node().name(), hop.login, hop.target.clientAddress(),
        kind.id(), started, recording != null);
    List<AuditEvent> events = audit.started(id, kind, request, terminal.pty(), recording != null, agentForwarded());
    later(() -> together(() -> ledger.started(start), () -> audit.recordAll(events)));
    env.addSignalListener((ch, signal) -> resize(env), Signal.WINCH);
    upstream.whenComplete((connected, error) -> {
      if (error != null) {
        fail(Upstream.reason(error));
      } else {
        open(connected, terminal);
      }
    });
  }

  private void open(ClientSession upstream, TerminalRequest terminal) {
    try {
      ClientChannel opened = terminal.create(upstream, kind, request);
      if (agentForwarded() && opened instanceof org.apache.sshd.client.channel.PtyCapableChannelSession session) {
        session.setAgentForwarding(true);
      }
      opened.setStreaming(ClientChannel.Streaming.Async);
      opened.open().addListener(future -> {
        if (!future.isOpened()) {
          fail("node " + hop.target.node().name() + " refused the " + kind.id() + ": "
              + Upstream.reason(future.getException()));
          return;
        }
        node = opened;
        toNode.attach((org.apache.sshd.common.channel.AbstractChannel) opened);
        toClient.copyFrom(opened.getAsyncOut(), this::output, this::halfClosed);
        toClientErr.copyFrom(opened.getAsyncErr(), bytes -> bytesOut.addAndGet(bytes.length), this::halfClosed);
        opened.addCloseFutureListener(closed -> halfClosed());
      });
    } catch (IOException | RuntimeException e) {
      fail("node " + hop.target.node().name() + ": " + Upstream.reason(e));
    }
  }

  @Override
  public int data(ChannelSession session, byte[] buf, int start, int len) {
    if (len == 0) {
      return 0;
    }
    byte[] copy = java.util.Arrays.copyOfRange(buf, start, start + len);
    bytesIn.addAndGet(len);
    if (heldInput == null) {
      // No recording is starting (any held input already went, under the gate): no lock on this path.
      recordAndRelay(copy);
      return 0;
    }
    synchronized (gate) {
      if (heldInput != null) {
        heldInput.add(copy); // the recording is starting: these go first once it has
      } else {
        recordAndRelay(copy);
      }
    }
    return 0;
  }

  /** Input on its way to the node: recorded when the session is, audited for sftp. */
  private void recordAndRelay(byte[] input) {
    SessionRecorder.Recording rec = recording;
    if (rec != null) {
      rec.input(input, 0, input.length);
    }
    SftpAuditor auditor = sftp;
    if (auditor != null) {
      auditor.accept(input, 0, input.length);
    }
    toNode.relay(input, channel);
  }

  /** The node's standard output on its way to the client: counted, and recorded when the session is. */
  private void output(byte[] bytes) {
    bytesOut.addAndGet(bytes.length);
    SessionRecorder.Recording rec = recording;
    if (rec != null) {
      rec.output(bytes, 0, bytes.length);
    }
  }

  /** The client sent EOF: pass it on once everything before it went to the node. */
  @Override
  public void close() {
    toNode.whenDrained(() -> {
      ClientChannel relayed = node;
      if (relayed != null) {
        // Nothing was written through MINA's stream: closing it sends just the EOF.
        relayed.getAsyncIn().close(false);
      }
    });
  }

  private void resize(Environment env) {
    try {
      int columns = Integer.parseInt(env.getEnv().getOrDefault(Environment.ENV_COLUMNS, "80"));
      int rows = Integer.parseInt(env.getEnv().getOrDefault(Environment.ENV_LINES, "24"));
      SessionRecorder.Recording rec = recording;
      if (rec != null) {
        rec.resize(columns, rows);
      }
      if (node instanceof org.apache.sshd.client.channel.PtyCapableChannelSession pty) {
        pty.sendWindowChange(columns, rows);
      }
    } catch (NumberFormatException | IOException e) {
      log.debug("window change not relayed: {}", e.getMessage());
    }
  }

  /** One of stdout, stderr and the node channel is done; the session ends when all three are. */
  private void halfClosed() {
    if (openHalves.decrementAndGet() == 0) {
      ClientChannel relayed = node;
      Integer status = relayed == null || endReason != null ? null : relayed.getExitStatus();
      finish(status == null ? 255 : status, null);
    }
  }

  /** The node cannot be reached or refused: tell the user why and end with status 255. */
  private void fail(String message) {
    byte[] text = ("Portcullis: " + message + "\r\n").getBytes(StandardCharsets.UTF_8);
    toClientErr.write(text, () -> finish(255, message));
    // Whether or not the client's window lets the notice out, the session ends.
    context.background.execute(() -> {
      sleepQuietly(Duration.ofSeconds(2));
      finish(255, message);
    });
  }

  @Override
  public void terminate(String reason) {
    if (endReason != null) {
      return;
    }
    endReason = reason;
    byte[] text = ("\r\nPortcullis: session ended: " + reason + "\r\n").getBytes(StandardCharsets.UTF_8);
    toClientErr.write(text, this::endNow);
    context.background.execute(() -> {
      sleepQuietly(Duration.ofSeconds(1));
      endNow();
    });
  }

  /** Closes the node's side; the session then ends as if the node had closed it, with status 255. */
  private void endNow() {
    ClientChannel relayed = node;
    if (relayed != null) {
      relayed.close(true);
    } else {
      finish(255, endReason);
    }
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String username() {
    return hop.target.user().username();
  }

  @Override
  public Instant validBefore() {
    return hop.target.user().validBefore();
  }

  @Override
  public void destroy(ChannelSession session) {
    ClientChannel relayed = node;
    if (relayed != null) {
      relayed.close(true);
    }
    finish(-1, "client disconnected");
  }

  private void finish(int status, String failure) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    context.live.remove(id);
    Instant ended = context.services.clock().instant();
    String reason = endReason != null ? endReason : failure != null ? failure : "exit " + status;
    SessionRecorder.Recording rec;
    synchronized (gate) {
      rec = recording; // set under the gate, and never after the session finished
    }
    later(() -> {
      if (rec != null) {
        rec.finish();
      }
      together(() -> context.services.sessions().ended(id, ended, reason), () -> audit.ended(id, kind,
          Duration.between(started, ended), bytesIn.get(), bytesOut.get(), status, rec != null, reason));
    });
    if (status >= 0) {
      auditTail.whenComplete((done, error) -> exit.onExit(status, failure == null ? "" : failure));
    }
  }

  /**
   * Writes the session's record and its audit events at the same time, so the session waits for one durable
   * write, not one after the other (they often share a commit); returns when both are done.
   */
  private void together(Runnable record, Runnable auditEvents) {
    CompletableFuture<Void> recorded = CompletableFuture.runAsync(record, context.background);
    try {
      auditEvents.run();
    } finally {
      recorded.join();
    }
  }

  /** Runs audit and record keeping off the I/O threads, in order for this session. */
  private synchronized void later(Runnable task) {
    auditTail = auditTail.thenRunAsync(task, context.background).exceptionally(error -> {
      log.error("bastion session {}: audit or record keeping failed", id, error);
      return null;
    });
  }

  private boolean agentForwarded() {
    return channel instanceof RelayChannel relay && relay.agentForwarded();
  }
}
