package dev.portcullis.http.proxy.internal;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** The socket transport: native epoll on Linux when its library loads, else the JDK's NIO. */
public final class Transport {

  private static final boolean EPOLL = !Boolean.getBoolean("portcullis.http.noEpoll") && Epoll.isAvailable();

  private Transport() {}

  public static boolean nativeEpoll() {
    return EPOLL;
  }

  public static IoHandlerFactory ioHandlerFactory() {
    return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  public static Class<? extends ServerSocketChannel> serverChannelClass() {
    return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public static Class<? extends SocketChannel> socketChannelClass() {
    return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** Why epoll is not used, for the startup log; {@code null} when it is. */
  public static Throwable unavailabilityCause() {
    return EPOLL ? null : Epoll.unavailabilityCause();
  }
}
