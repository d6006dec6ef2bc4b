package dev.portcullis.bastion.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Recognizes the legacy scp protocol ({@code scp -O}, or scp before OpenSSH 9) in an exec request: the remote
 * side runs {@code scp -t PATH} to receive files and {@code scp -f PATH} to send them. Newer scp uses the sftp
 * subsystem, which {@link SftpAuditor} reads.
 */
final class ExecAudit {
  /** An scp transfer: {@code upload} (to the node) or {@code download}, and the path on the node. */
  record Scp(String direction, String path, boolean recursive) {}

  static final int MAX_COMMAND = 4096;

  private ExecAudit() {}

  static Optional<Scp> scp(String command) {
    List<String> words = new ArrayList<>(List.of(command.strip().split("\\s+")));
    if (words.isEmpty() || !(words.getFirst().equals("scp") || words.getFirst().endsWith("/scp"))) {
      return Optional.empty();
    }
    String direction = null;
    boolean recursive = false;
    int i = 1;
    for (; i < words.size() && words.get(i).startsWith("-"); i++) {
      String flags = words.get(i);
      if (flags.equals("--")) {
        i++;
        break;
      }
      if (flags.contains("t")) {
        direction = "upload";
      }
      if (flags.contains("f")) {
        direction = "download";
      }
      recursive |= flags.contains("r");
    }
    if (direction == null) {
      return Optional.empty();
    }
    String path = i < words.size() ? String.join(" ", words.subList(i, words.size())) : "";
    return Optional.of(new Scp(direction, path, recursive));
  }

  /** The command as audited: at most {@link #MAX_COMMAND} characters. */
  static String shown(String command) {
    return command.length() <= MAX_COMMAND ? command : command.substring(0, MAX_COMMAND) + "...(truncated)";
  }
}
