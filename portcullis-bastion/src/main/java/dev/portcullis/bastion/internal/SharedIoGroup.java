package dev.portcullis.bastion.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoConnector;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoServiceFactory;
import org.apache.sshd.common.io.IoServiceFactoryFactory;
import org.apache.sshd.common.io.nio2.Nio2Acceptor;
import org.apache.sshd.common.io.nio2.Nio2Connector;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactory;
import org.apache.sshd.common.util.threads.CloseableExecutorService;
import org.apache.sshd.common.util.threads.ThreadUtils;

/**
 * One NIO2 channel group, with a fixed pool of threads that wait for socket events themselves, for the bastion's
 * listener and its connections to nodes. MINA's default group hands every socket event from a polling thread to a
 * pool thread: on a relay, where each packet read from one socket is written to another, those hand-offs (futex
 * waits and wake-ups, context switches) took a quarter of the bastion's CPU. Here the thread that sees a socket
 * event handles it, and a packet read from the user goes to the node's socket on the same thread.
 */
final class SharedIoGroup implements IoServiceFactoryFactory, AutoCloseable {
  private final AsynchronousChannelGroup group;
  private final CloseableExecutorService resumeTasks;

  SharedIoGroup(int threads) {
    try {
      this.group = AsynchronousChannelGroup.withFixedThreadPool(threads,
          Thread.ofPlatform().daemon().name("portcullis-bastion-io-", 0).factory());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the bastion's I/O threads", e);
    }
    this.resumeTasks = ThreadUtils.newFixedThreadPool("portcullis-bastion-io-resume", 1);
  }

  @Override
  public IoServiceFactory create(FactoryManager manager) {
    return new Factory(manager);
  }

  /** The threads are this group's own; MINA's executor factories do not apply. */
  @Override
  public void setExecutorServiceFactory(org.apache.sshd.common.Factory<CloseableExecutorService> factory) {
    // Nothing to set.
  }

  @Override
  public void close() {
    resumeTasks.shutdownNow();
    try {
      group.shutdownNow();
      group.awaitTermination(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // Closing sockets that were open; they are gone either way.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * MINA's NIO2 services on the shared group; closing one leaves the group to {@link SharedIoGroup#close}. Its
   * superclass still makes a group of its own (one idle polling thread), which nothing uses: MINA offers no way
   * to hand it a group.
   */
  private final class Factory extends Nio2ServiceFactory {
    Factory(FactoryManager manager) {
      super(manager, null, ThreadUtils.noClose(resumeTasks));
    }

    @Override
    public IoConnector createConnector(IoHandler handler) {
      return autowireCreatedService(new Nio2Connector(this, getFactoryManager(), handler, group, resumeTasks));
    }

    @Override
    public IoAcceptor createAcceptor(IoHandler handler) {
      return autowireCreatedService(new Nio2Acceptor(this, getFactoryManager(), handler, group, resumeTasks));
    }
  }
}
