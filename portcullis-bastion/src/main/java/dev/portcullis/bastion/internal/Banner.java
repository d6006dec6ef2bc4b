package dev.portcullis.bastion.internal;

import java.io.IOException;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.session.ServerSession;

/**
 * Tells the user why they are refused, during authentication: OpenSSH prints a user-auth banner before
 * "Permission denied", which otherwise never says what is missing.
 */
final class Banner {
  private Banner() {}

  static void send(ServerSession session, String message) {
    String text = "Portcullis: " + message + "\r\n";
    try {
      Buffer buffer = session.createBuffer(SshConstants.SSH_MSG_USERAUTH_BANNER, text.length() + 16);
      buffer.putString(text);
      buffer.putString("");
      session.writePacket(buffer);
    } catch (IOException | RuntimeException e) {
      // The refusal stands without its explanation.
    }
  }
}
