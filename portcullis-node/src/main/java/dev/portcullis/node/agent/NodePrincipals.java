package dev.portcullis.node.agent;

import dev.portcullis.node.agent.internal.ApiClient;
import dev.portcullis.node.agent.internal.ProxyTls;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code portcullis node principals LOGIN KEY_ID}, sshd's {@code AuthorizedPrincipalsCommand}: asks the server
 * which principals the certificate with key id {@code KEY_ID} may use to log in as {@code LOGIN} here, every
 * time, so a lock or a role change takes effect at the next login attempt. It fails closed: any problem is an
 * exception, and the command then prints nothing, so sshd refuses.
 */
public final class NodePrincipals {

  /** The longest the whole lookup may take: sshd waits for it while the user waits for sshd. */
  public static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /**
   * What a printed principal may hold. Nothing sshd reads as an option ({@code from=}, {@code command=}), a
   * comment or a second field in an authorized principals line can pass.
   */
  private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z0-9._@+-]{1,256}");
  private static final Pattern LOGIN = Pattern.compile("[\\x21-\\x7e]{1,256}");
  private static final Pattern KEY_ID = Pattern.compile("[\\x20-\\x7e]{1,1024}");
  private static final int MAX_PRINCIPALS = 256;

  private NodePrincipals() {}

  /**
   * The principals to print, one per line; an empty list when the server allows none.
   *
   * @param stateDir where {@code node.json} is
   * @param timeout  the deadline for the server's answer, name resolution included
   * @throws NodeAgentException for anything else: no state, bad arguments, server unreachable, slow or failing,
   *                            or an answer that is not a plain list of principals
   */
  public static List<String> lookup(Path stateDir, String login, String keyId, Duration timeout)
      throws NodeAgentException {
    Objects.requireNonNull(stateDir, "stateDir");
    if (login == null || !LOGIN.matcher(login).matches()) {
      throw new NodeAgentException("login: not a login name (expected: 1 to 256 printable characters, sshd's %u)");
    }
    if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
      throw new NodeAgentException("key id: not printable (expected: 1 to 1024 printable characters, sshd's %i)");
    }
    NodeState state = NodeState.read(stateDir);
    ProxyTls tls = state.tlsPin().map(ProxyTls::pinned).orElseGet(ProxyTls::verified);
    String body;
    try {
      body = new ApiClient(state.proxy(), tls, CONNECT_TIMEOUT).principals(state.credential(), login, keyId, timeout);
    } catch (IOException e) {
      throw new NodeAgentException("asking " + state.proxy() + " for the principals of " + login + " failed: "
          + e.getMessage(), e);
    }
    return parse(body);
  }

  /** The server's text/plain answer as principals; any line that is not a plain principal rejects it all. */
  static List<String> parse(String body) throws NodeAgentException {
    List<String> principals = new ArrayList<>();
    for (String line : body.split("\n", -1)) {
      String principal = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      if (principal.isEmpty()) {
        continue;
      }
      if (!PRINCIPAL.matcher(principal).matches()) {
        throw new NodeAgentException("the server's principals answer has a line that is not a plain principal;"
            + " refusing all of it");
      }
      if (!principals.contains(principal)) {
        principals.add(principal);
      }
      if (principals.size() > MAX_PRINCIPALS) {
        throw new NodeAgentException("the server's principals answer lists more than " + MAX_PRINCIPALS);
      }
    }
    return List.copyOf(principals);
  }
}
