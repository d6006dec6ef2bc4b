package dev.portcullis.bastion.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.PtyChannelConfiguration;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.channel.ChannelSession;

/**
 * The terminal a session channel asked for (whether a PTY, its type, size and modes) and the environment
 * variables worth passing on, turned into the same request towards the node.
 *
 * @param pty whether the client asked for a PTY
 * @param term its TERM
 * @param columns its width
 * @param rows its height
 * @param environment the locale variables the client sent ({@code LANG}, {@code LC_*}); sshd keeps what it accepts
 */
record TerminalRequest(boolean pty, String term, int columns, int rows, Map<String, String> environment,
    PtyChannelConfiguration configuration) {

  static TerminalRequest of(ChannelSession channel, Environment env) {
    boolean pty = channel instanceof RelayChannel relay && relay.ptyRequested();
    Map<String, String> vars = env.getEnv();
    String term = vars.getOrDefault(Environment.ENV_TERM, "xterm");
    int columns = number(vars.get(Environment.ENV_COLUMNS), 80);
    int rows = number(vars.get(Environment.ENV_LINES), 24);
    Map<String, String> locale = new LinkedHashMap<>();
    vars.forEach((name, value) -> {
      if (name.equals("LANG") || name.startsWith("LC_")) {
        locale.put(name, value);
      }
    });
    PtyChannelConfiguration configuration = new PtyChannelConfiguration();
    configuration.setPtyType(term);
    configuration.setPtyColumns(columns);
    configuration.setPtyLines(rows);
    configuration.setPtyModes(env.getPtyModes());
    return new TerminalRequest(pty, term, columns, rows, Map.copyOf(locale), configuration);
  }

  /** Opens (not yet opened) the node channel that mirrors this request. */
  ClientChannel create(ClientSession node, SessionKind kind, String request) throws IOException {
    return switch (kind) {
      case SHELL -> {
        ChannelShell shell = node.createShellChannel(configuration, environment);
        shell.setUsePty(pty);
        yield shell;
      }
      case EXEC -> {
        ChannelExec exec = node.createExecChannel(request, configuration, environment);
        exec.setUsePty(pty);
        yield exec;
      }
      case SUBSYSTEM -> node.createChannel(ClientChannel.CHANNEL_SUBSYSTEM, request);
    };
  }

  private static int number(String value, int fallback) {
    try {
      int parsed = value == null ? fallback : Integer.parseInt(value);
      return parsed > 0 && parsed <= 10_000 ? parsed : fallback;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
