package dev.portcullis.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code portcullis} command: servers, the demo, and admin tools. */
@Command(
    name = "portcullis",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Zero-trust access: identity-aware proxy, policy and audit.",
    subcommands = {
      StartCommand.class,
      DemoCommand.class,
      AccessCommand.class,
      AuditCommand.class,
      HashPasswordCommand.class,
      TokensCommand.class,
      NodesCommand.class,
      UsersCommand.class,
      SessionsCommand.class,
      PlayCommand.class,
      CaCommand.class,
      dev.portcullis.node.agent.NodeCommand.class,
      dev.portcullis.cli.LoginCommand.class,
      dev.portcullis.cli.StatusCommand.class,
      dev.portcullis.cli.LogoutCommand.class,
      dev.portcullis.cli.SshConfigCommand.class,
      dev.portcullis.cli.SshCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {

  public static void main(String[] args) {
    boolean server = args.length > 0 && (args[0].equals("start") || args[0].equals("demo"));
    if (server) {
      // Netty's defaults favour debugging; a proxy on the request path wants its pooled allocator and no
      // leak sampling. Either can still be set on the command line.
      defaultProperty("io.netty.leakDetection.level", "disabled");
      defaultProperty("io.netty.allocator.type", "pooled");
    }
    if (!server && System.getenv("PORTCULLIS_LOG_LEVEL") == null) {
      // Admin commands print their answer on stdout; routine log lines would only be noise on stderr.
      System.setProperty("PORTCULLIS_LOG_LEVEL", "WARN");
    }
    System.exit(commandLine().execute(args));
  }

  private static void defaultProperty(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  /** The configured command line, also used by tests to run commands in-process. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
      // Users get the message that names what is wrong, never a stack trace.
      cmd.getErr().println("portcullis: " + exception.getMessage());
      return exception instanceof CliException cli ? cli.exitCode() : 1;
    });
    return commandLine;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"portcullis " + (version == null ? "development build" : version)};
    }
  }
}
