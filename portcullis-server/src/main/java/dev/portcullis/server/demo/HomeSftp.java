package dev.portcullis.server.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.sftp.server.SftpSubsystem;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * The sftp subsystem (also what modern {@code scp} speaks) on the machine's file system, starting in the login's
 * demo HOME as sftp starts in the home directory on a real node. MINA's subsystem would start in the demo's
 * working directory instead.
 */
final class HomeSftp extends SftpSubsystemFactory {
  private final LoginEnvironment logins;

  HomeSftp(LoginEnvironment logins) {
    this.logins = requireNonNull(logins, "logins");
  }

  @Override
  public Command createSubsystem(ChannelSession channel) throws IOException {
    Path home = logins.home(channel.getSession().getUsername());
    return new SftpSubsystem(channel, this) {
      @Override
      public void setFileSystem(FileSystem fileSystem) {
        super.setFileSystem(fileSystem);
        defaultDir = fileSystem.getPath(home.toString());
      }
    };
  }
}
