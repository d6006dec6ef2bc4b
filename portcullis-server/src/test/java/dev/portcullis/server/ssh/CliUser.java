package dev.portcullis.server.ssh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.cli.Browser;
import dev.portcullis.cli.CliContext;
import dev.portcullis.cli.LoginCommand;
import dev.portcullis.cli.ProcessLauncher;
import dev.portcullis.cli.SshCommand;
import dev.portcullis.cli.SshConfigCommand;
import dev.portcullis.cli.Terminal;
import dev.portcullis.testing.openssh.Command;
import dev.portcullis.testing.openssh.RealOpenSsh;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine;

/**
 * A person at a laptop: the real {@code portcullis} user commands with their own {@code PORTCULLIS_HOME}, no
 * terminal and no ssh-agent, trusting exactly the test server's TLS certificate; and the real {@code ssh}
 * client reading the config block that {@code portcullis ssh-config} printed.
 */
final class CliUser {

  /** What one command printed and returned. */
  record Run(int exitCode, String out, String err) {
    String describe() {
      return "exit " + exitCode + "\nstdout: " + out + "\nstderr: " + err;
    }
  }

  private static final Duration SSH_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path home;
  private final Path serverCertificate;

  CliUser(Path home, Path serverCertificate) {
    this.home = home;
    this.serverCertificate = serverCertificate;
  }

  /** {@code portcullis login ARGS} with {@code stdin}, and a browser that fails if the CLI opens one. */
  Run login(String stdin, String... args) {
    return run(new LoginCommand(context(stdin, uri -> {
      throw new IOException("this test has no browser");
    })), args);
  }

  /** {@code portcullis login ARGS} signing in through {@code browser}. */
  Run login(Browser browser, String... args) {
    return run(new LoginCommand(context("", browser)), args);
  }

  /** {@code portcullis ssh-config ARGS}. */
  Run sshConfig(String... args) {
    return run(new SshConfigCommand(context("", uri -> {
      throw new IOException("no browser");
    })), args);
  }

  /**
   * Saves what {@code portcullis ssh-config --hosts 127.0.0.1} prints and runs {@code ssh -F THAT_FILE -o
   * StrictHostKeyChecking=yes -p PORT LOGIN@127.0.0.1 COMMAND}. The global known_hosts is switched off so the
   * CLI's known_hosts (the CA line) is the only thing that can vouch for the host.
   */
  Command.Result ssh(int port, String login, String... remoteCommand) throws IOException {
    Run config = sshConfig("--hosts", "127.0.0.1");
    if (config.exitCode() != 0) {
      throw new IllegalStateException("portcullis ssh-config failed: " + config.describe());
    }
    Path file = Files.writeString(home.resolveSibling(home.getFileName() + "-ssh_config"), config.out());
    List<String> command = new ArrayList<>(List.of(RealOpenSsh.SSH.toString(), "-F", file.toString(),
        "-o", "StrictHostKeyChecking=yes",
        "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "BatchMode=yes",
        "-o", "ConnectTimeout=10",
        "-p", Integer.toString(port), login + "@127.0.0.1"));
    command.addAll(List.of(remoteCommand));
    return Command.run(command, SSH_TIMEOUT);
  }

  /**
   * Saves what a bare {@code portcullis ssh-config} prints (the server has a bastion, so the block lists this
   * user's nodes behind a ProxyJump to it) and returns the ssh command line {@code ssh -F THAT_FILE OPTIONS
   * LOGIN@NODE COMMAND}, with the global known_hosts switched off so only the CA line vouches for hosts.
   */
  List<String> bastionSshCommand(List<String> options, String login, String node, String... remoteCommand)
      throws IOException {
    Run config = sshConfig();
    if (config.exitCode() != 0) {
      throw new IllegalStateException("portcullis ssh-config failed: " + config.describe());
    }
    Path file = Files.writeString(home.resolveSibling(home.getFileName() + "-bastion_ssh_config"), config.out());
    List<String> command = new ArrayList<>(List.of(RealOpenSsh.SSH.toString(), "-F", file.toString(),
        "-o", "StrictHostKeyChecking=yes",
        "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "BatchMode=yes",
        "-o", "ConnectTimeout=10"));
    command.addAll(options);
    command.add(login + "@" + node);
    command.addAll(List.of(remoteCommand));
    return command;
  }

  /** Runs {@link #bastionSshCommand} to completion with no input. */
  Command.Result bastionSsh(List<String> options, String login, String node, String... remoteCommand)
      throws IOException {
    return Command.run(bastionSshCommand(options, login, node, remoteCommand), SSH_TIMEOUT);
  }

  /**
   * Asks the server for a new certificate with the token and key this laptop holds from its last login, as a
   * thief of the laptop (or a CLI renewing without a new sign-in) would; returns the server's answer.
   */
  HttpResponse<String> requestCertificateWithStoredToken(URI proxy) throws IOException, InterruptedException {
    JsonNode profile = JSON.readTree(home.resolve("profile.json").toFile());
    String publicKey = Files.readString(home.resolve("keys/id_ed25519.pub")).strip();
    HttpClient http = HttpClient.newBuilder().sslContext(trusting(serverCertificate)).build();
    return http.send(HttpRequest.newBuilder(proxy.resolve("/.portcullis/api/v1/ssh/certificates"))
        .header("Authorization", "Bearer " + profile.path("token").asText())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("public_key", publicKey))))
        .timeout(Duration.ofSeconds(20))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * {@code portcullis ssh ARGS}: the CLI's wrapper runs the real ssh (its output kept here, stdin empty) with the
   * Portcullis options ahead of {@code args}; the global known_hosts is switched off as for {@link #ssh}.
   */
  Command.Result portcullisSsh(String... args) {
    AtomicReference<Command.Result> ran = new AtomicReference<>();
    CliContext context = context("", uri -> {
      throw new IOException("no browser");
    }, command -> {
      List<String> line = new ArrayList<>(command);
      line.set(0, RealOpenSsh.SSH.toString()); // the wrapper runs "ssh" from PATH
      line.addAll(1, List.of("-o", "GlobalKnownHostsFile=/dev/null", "-o", "BatchMode=yes"));
      ran.set(Command.run(line, SSH_TIMEOUT));
      return ran.get().exitCode();
    });
    Run run = run(new SshCommand(context), args);
    if (ran.get() == null) {
      throw new IllegalStateException("portcullis ssh did not run ssh: " + run.describe());
    }
    return ran.get();
  }

  Path knownHosts() {
    return home.resolve("known_hosts");
  }

  Path certificate() {
    return home.resolve("keys/id_ed25519-cert.pub");
  }

  private CliContext context(String stdin, Browser browser) {
    return context(stdin, browser, command -> {
      throw new IOException("this test runs ssh itself");
    });
  }

  private CliContext context(String stdin, Browser browser, ProcessLauncher processes) {
    return CliContext.builder()
        .environment(Map.of("PORTCULLIS_HOME", home.toString()))
        .userHome(home.getParent())
        .stdin(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
        .terminal(new NoTerminal())
        .browser(browser)
        .processes(processes)
        .trustedTls(() -> trusting(serverCertificate))
        .browserTimeout(Duration.ofSeconds(30))
        .build();
  }

  private static Run run(Object command, String... args) {
    CommandLine commandLine = new CommandLine(command);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  /** TLS that trusts exactly the test server's self-signed certificate. */
  static SSLContext trusting(Path certificate) {
    try (InputStream in = Files.newInputStream(certificate)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("portcullis", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException("cannot trust " + certificate, e);
    }
  }

  /** Scripts have no terminal: nothing may be asked interactively. */
  private static final class NoTerminal implements Terminal {
    @Override
    public boolean interactive() {
      return false;
    }

    @Override
    public char[] readSecret(String prompt) {
      throw new AssertionError("asked for a secret without a terminal: " + prompt);
    }

    @Override
    public String readLine(String prompt) {
      throw new AssertionError("asked without a terminal: " + prompt);
    }
  }
}
