package dev.portcullis.node.agent;

import dev.portcullis.node.accounts.AccountReconciler;
import dev.portcullis.node.agent.internal.NodeSettings;
import dev.portcullis.node.agent.internal.PrincipalsUser;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis node join|principals|run}: the commands that run on an enrolled server. {@link #main} runs
 * them without the rest of the portcullis command line, which is what the launcher that join writes for sshd
 * does: {@code LAUNCHER node principals --login=%u --key-id=%i}.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Enroll this server with Portcullis and run its agent.",
    subcommands = {NodeCommand.Join.class, NodeCommand.Principals.class, NodeCommand.Run.class})
public final class NodeCommand {

  /**
   * Runs {@code portcullis node ...} on its own: {@code args} start with {@code node}, as on the full CLI. The
   * exact line join writes for sshd ({@code node principals [--state-dir=DIR] --login=LOGIN --key-id=KEY_ID})
   * skips the command-line parser, which would add half a second to every login attempt.
   */
  public static void main(String[] args) {
    Optional<Principals.Call> call = Principals.Call.parse(args);
    if (call.isPresent()) {
      PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
      PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
      System.exit(Principals.answer(call.get(), out, err));
    }
    System.exit(standalone().execute(args));
  }

  /** {@code portcullis} with only the {@code node} command, as {@link #main} runs it; tests run it in-process. */
  public static CommandLine standalone() {
    // No @file expansion: sshd passes a login and a key id, which must never be read as a file of arguments.
    CommandLine commandLine = new CommandLine(new Standalone()).setExpandAtFiles(false);
    commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
      cmd.getErr().println("portcullis: " + exception.getMessage());
      return 1;
    });
    return commandLine;
  }

  @Command(name = "portcullis", subcommands = NodeCommand.class)
  static final class Standalone {}

  /** Where join leaves node.json; every node command takes it. */
  static final class StateDirOption {
    @Option(names = "--state-dir", defaultValue = "/etc/portcullis",
        description = "The agent's directory with node.json (default: ${DEFAULT-VALUE}).")
    Path stateDir;
  }

  @Command(name = "join", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Enroll this server with a one-time token and configure its sshd to trust Portcullis.",
          "Writes the user CA keys (TrustedUserCAKeys), a host certificate, an sshd drop-in with the principals"
              + " command, and node.json; checks them with sshd -t, then reloads sshd. Run as root."})
  static final class Join implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--token", required = true, description = "The join token (portcullis tokens add --type node).")
    String token;

    @Option(names = "--proxy", required = true, description = "The Portcullis sign-in URL, https://HOST[:PORT].")
    URI proxy;

    @Option(names = "--labels", defaultValue = "", description = "Labels roles select this node by: env=dev,team=web.")
    String labels;

    @Option(names = "--name", description = "The node name (default: this host's name).")
    String name;

    @Option(names = "--address", description = "HOST:PORT where clients reach this sshd"
        + " (default: the first non-loopback address and sshd's port).")
    String address;

    @Option(names = "--insecure", description = "Accept the server's TLS certificate without verifying it, and pin"
        + " its key for every later call (for a self-signed certificate such as the demo's).")
    boolean insecure;

    @Option(names = "--sshd-config", defaultValue = "/etc/ssh/sshd_config",
        description = "sshd's main configuration; it must include the drop-in (default: ${DEFAULT-VALUE}).")
    Path sshdConfig;

    @Option(names = "--sshd-config-dir", defaultValue = "/etc/ssh/sshd_config.d",
        description = "Where the drop-in " + AgentPaths.DROP_IN_NAME + " goes (default: ${DEFAULT-VALUE}).")
    Path sshdConfigDir;

    @Option(names = "--host-key", defaultValue = "/etc/ssh/ssh_host_ed25519_key.pub",
        description = "The host public key to certify (default: ${DEFAULT-VALUE}).")
    Path hostKey;

    @Option(names = "--user-ca-file", defaultValue = "/etc/ssh/portcullis_user_ca.pub",
        description = "sshd's TrustedUserCAKeys file (default: ${DEFAULT-VALUE}).")
    Path userCaFile;

    @Option(names = "--principals-user", defaultValue = PrincipalsUser.DEFAULT,
        description = "The unprivileged account sshd runs the principals command as; created as a system user"
            + " if missing. It can read node.json (default: ${DEFAULT-VALUE}).")
    String principalsUser;

    @Option(names = "--launcher", description = "A root-owned command that runs portcullis, for sshd to run as"
        + " LAUNCHER node principals (default: a script in the state directory for this Java and jar).")
    Path launcher;

    @Option(names = "--no-reload", description = "Do not reload sshd; the files take effect at its next restart.")
    boolean noReload;

    @CommandLine.Mixin StateDirOption state = new StateDirOption();

    @Override
    public Integer call() throws Exception {
      AgentPaths paths = AgentPaths.of(state.stateDir.toAbsolutePath(), sshdConfig.toAbsolutePath(),
          sshdConfigDir.toAbsolutePath(), hostKey.toAbsolutePath(), userCaFile.toAbsolutePath());
      SshdControl control = noReload ? SshdControl.detect().withReload(new SshdControl.Reload.None())
          : SshdControl.detect();
      JoinOptions options;
      try {
        options = new JoinOptions(proxy, token, Optional.ofNullable(name), NodeSettings.parseLabels(labels),
            Optional.ofNullable(address), insecure, principalsUser, Optional.ofNullable(launcher));
      } catch (IllegalArgumentException e) {
        throw new NodeAgentException(e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (insecure) {
        spec.commandLine().getErr().println("WARNING: --insecure: the TLS certificate of " + options.proxy()
            + " is NOT verified for this join; its key is pinned for every later call.");
      }
      JoinResult result = new NodeJoin(paths, control).join(options);
      print(out, result, paths);
      return 0;
    }

    private static void print(PrintWriter out, JoinResult result, AgentPaths paths) {
      NodeState node = result.state();
      out.println("Joined as node " + node.name() + " " + node.labels() + " at " + node.address() + ".");
      out.println("  host certificate  " + paths.hostCertificate() + " (for " + String.join(", ", result.hostNames())
          + ", valid until " + result.hostCertificateExpiry() + ")");
      out.println("  user CA keys      " + paths.userCaKeys() + " (" + result.userCaKeys() + ")");
      out.println("  sshd drop-in      " + paths.sshdDropIn());
      out.println("  node credential   " + paths.nodeFile() + " (readable by root and the group of "
          + result.principalsUser() + ", which sshd runs the principals command as)");
      node.tlsPin().ifPresent(pin -> out.println("  pinned TLS key    " + pin
          + " (check it against the server's certificate)"));
      out.println(result.reload()
          .map(how -> "sshd accepted the configuration (sshd -t) and was reloaded (" + how + ").")
          .orElse("sshd accepted the configuration (sshd -t); it was not reloaded."));
      out.println("Next: run the agent (portcullis node run, as a service) for heartbeats, local accounts and"
          + " certificate renewal.");
      out.flush();
    }
  }

  @Command(name = "principals", mixinStandardHelpOptions = true,
      description = {"sshd's AuthorizedPrincipalsCommand: prints the principals the certificate KEY_ID may use to"
          + " log in as LOGIN here, as the Portcullis server decides now.",
          "Prints nothing and exits 1 on any error, within 3 seconds, so sshd refuses the login."})
  static final class Principals implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "LOGIN", description = "The local account (sshd's %%u).")
    String login;

    @Parameters(index = "1", arity = "0..1", paramLabel = "KEY_ID",
        description = "The certificate's key id (sshd's %%i).")
    String keyId;

    @Option(names = "--login", paramLabel = "LOGIN", parameterConsumer = RawValue.class,
        description = "LOGIN as an option, the form join writes for sshd (--login=%%u): the value is taken as it"
            + " is, even when it starts with @ or looks like an option.")
    String loginOption;

    @Option(names = "--key-id", paramLabel = "KEY_ID", parameterConsumer = RawValue.class,
        description = "KEY_ID as an option (--key-id=%%i), taken as it is.")
    String keyIdOption;

    /** Takes an option's value verbatim: picocli would otherwise refuse one that looks like an option. */
    static final class RawValue implements CommandLine.IParameterConsumer {
      @Override
      public void consumeParameters(Stack<String> args, CommandLine.Model.ArgSpec argSpec, CommandSpec commandSpec) {
        if (args.isEmpty()) {
          throw new CommandLine.ParameterException(commandSpec.commandLine(),
              "Missing value for " + ((CommandLine.Model.OptionSpec) argSpec).longestName());
        }
        argSpec.setValue(args.pop());
      }
    }

    @CommandLine.Mixin StateDirOption state = new StateDirOption();

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      if ((login == null) == (loginOption == null) || (keyId == null) == (keyIdOption == null)) {
        err.println("portcullis: give LOGIN and KEY_ID, either as arguments or as --login and --key-id");
        err.flush();
        return 1;
      }
      Call call = new Call(state.stateDir, login != null ? login : loginOption, keyId != null ? keyId : keyIdOption);
      return answer(call, spec.commandLine().getOut(), err);
    }

    /** One principals query: what sshd passed. */
    record Call(Path stateDir, String login, String keyId) {

      /**
       * The exact argument shape of the drop-in's command,
       * {@code node principals [--state-dir=DIR] --login=LOGIN --key-id=KEY_ID}; anything else goes through the
       * full parser.
       */
      static Optional<Call> parse(String[] args) {
        List<String> list = List.of(args);
        if (list.size() < 4 || list.size() > 5 || !list.subList(0, 2).equals(List.of("node", "principals"))) {
          return Optional.empty();
        }
        Path stateDir = AgentPaths.DEFAULT_STATE_DIR;
        if (list.size() == 5) {
          if (!list.get(2).startsWith("--state-dir=") || !Path.of(list.get(2).substring(12)).isAbsolute()) {
            return Optional.empty();
          }
          stateDir = Path.of(list.get(2).substring(12));
        }
        String login = list.get(list.size() - 2);
        String keyId = list.getLast();
        if (!login.startsWith("--login=") || !keyId.startsWith("--key-id=")) {
          return Optional.empty();
        }
        return Optional.of(new Call(stateDir, login.substring(8), keyId.substring(9)));
      }
    }

    /** Prints the principals and returns 0, or prints nothing on stdout and returns 1. */
    static int answer(Call call, PrintWriter out, PrintWriter err) {
      List<String> principals;
      try {
        principals = NodePrincipals.lookup(call.stateDir(), call.login(), call.keyId(), NodePrincipals.TIMEOUT);
      } catch (Throwable e) {
        // Anything at all (even a missing class) means no login: sshd treats a non-zero exit as "no principals"
        // and logs it, and stdout stays empty. The message goes to stderr for an admin running it by hand.
        err.println("portcullis: " + e.getMessage());
        err.flush();
        return 1;
      }
      principals.forEach(out::println);
      out.flush();
      return 0;
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"The node agent: heartbeats, manages local accounts and sudo rules from roles, and keeps"
          + " sshd's CA keys and host certificate current. Runs until stopped. Run as root."})
  static final class Run implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--interval", defaultValue = "15",
        description = "Seconds between heartbeats (default: ${DEFAULT-VALUE}).")
    int intervalSeconds;

    @Option(names = "--once", description = "Heartbeat once, print what changed, and exit (1 if anything failed).")
    boolean once;

    @Option(names = "--no-reload", description = "Do not reload sshd after changing its files.")
    boolean noReload;

    @CommandLine.Mixin StateDirOption state = new StateDirOption();

    @Override
    public Integer call() throws Exception {
      if (intervalSeconds < 1 || intervalSeconds > 3600) {
        throw new NodeAgentException("--interval: " + intervalSeconds + " (expected: 1 to 3600 seconds)");
      }
      if (System.getenv("PORTCULLIS_LOG_LEVEL") == null) {
        // The one-line heartbeat summaries are INFO; the CLI quiets other commands to WARN before logging starts.
        System.setProperty("PORTCULLIS_LOG_LEVEL", "INFO");
      }
      SshdControl control = noReload ? SshdControl.detect().withReload(new SshdControl.Reload.None())
          : SshdControl.detect();
      NodeState.read(state.stateDir); // fail now, clearly, when the host has not joined
      NodeAgent agent = new NodeAgent(state.stateDir, control, AccountReconciler.forThisHost());
      if (once) {
        HeartbeatResult result = agent.heartbeat();
        spec.commandLine().getOut().println(result.summary());
        spec.commandLine().getOut().flush();
        return result.ok() ? 0 : 1;
      }
      agent.run(Duration.ofSeconds(intervalSeconds), duration -> Thread.sleep(duration.toMillis()));
      return 0;
    }
  }
}
