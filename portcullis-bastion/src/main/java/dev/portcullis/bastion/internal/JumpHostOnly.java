package dev.portcullis.bastion.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.sshd.common.io.IoOutputStream;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.AsyncCommand;

/** What a shell or command on the bastion itself gets: an explanation of how to use it, and exit status 1. */
final class JumpHostOnly implements AsyncCommand {
  private final String jumpHost;
  private final String oneHop;
  private IoOutputStream err;
  private ExitCallback exit;

  /** For the bastion at {@code host} on {@code port}, as users should write them. */
  JumpHostOnly(String host, int port) {
    boolean defaultPort = port == 22;
    this.jumpHost = defaultPort ? host : host + ":" + port;
    this.oneHop = (defaultPort ? "" : "-p " + port + " ") + "LOGIN@NODE@" + host;
  }

  @Override
  public void start(ChannelSession channel, Environment env) throws IOException {
    String text = "Portcullis: this is an SSH bastion; use it as a jump host, for example\r\n"
        + "  ssh -J " + jumpHost + " LOGIN@NODE\r\n"
        + "or the ProxyJump that `portcullis ssh-config` writes, or name the node in the user name:\r\n"
        + "  ssh " + oneHop + "\r\n";
    err.writeBuffer(new ByteArrayBuffer(text.getBytes(StandardCharsets.UTF_8)))
        .addListener(written -> exit.onExit(1, "not a shell host"));
  }

  @Override
  public void destroy(ChannelSession channel) {
    // Nothing runs.
  }

  @Override
  public void setIoOutputStream(IoOutputStream out) {
    // Only stderr is used.
  }

  @Override
  public void setIoErrorStream(IoOutputStream err) {
    this.err = err;
  }

  @Override
  public void setExitCallback(ExitCallback callback) {
    this.exit = callback;
  }

  @Override
  public void setIoInputStream(org.apache.sshd.common.io.IoInputStream in) {
    // Input arrives through the channel's data receiver, or is not read at all.
  }

  @Override
  public void setInputStream(InputStream in) {
    // No input is read.
  }

  @Override
  public void setOutputStream(OutputStream out) {
    // Asynchronous streams are used.
  }

  @Override
  public void setErrorStream(OutputStream err) {
    // Asynchronous streams are used.
  }
}
