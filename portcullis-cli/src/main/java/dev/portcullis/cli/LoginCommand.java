package dev.portcullis.cli;

import dev.portcullis.cli.internal.ApiClient;
import dev.portcullis.cli.internal.CliFailure;
import dev.portcullis.cli.internal.CliHome;
import dev.portcullis.cli.internal.LoopbackCallback;
import dev.portcullis.cli.internal.Pkce;
import dev.portcullis.cli.internal.Profile;
import dev.portcullis.cli.internal.ProxyUrl;
import dev.portcullis.cli.internal.ServerError;
import dev.portcullis.cli.internal.SshAgent;
import dev.portcullis.cli.internal.SshCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis login}: signs in (browser with PKCE, or a local password), gets a certificate for a fresh
 * key, stores both under {@code ~/.portcullis} and loads them into the running ssh-agent.
 */
@Command(name = "login", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Sign in to a Portcullis server and get a short-lived SSH certificate.",
        "Without --user the sign-in runs in your browser (SSO); with --user it uses a local account."})
public final class LoginCommand extends UserCommand {

  private static final int MAX_PASSWORD_BYTES = 4096;

  @Option(names = "--proxy", required = true, paramLabel = "URL",
      description = "The server's URL, such as https://portcullis.example.com:8443.")
  String proxy;

  @Option(names = "--insecure",
      description = "Accept any TLS certificate (only for a demo's self-signed one). Remembered, and warned about.")
  boolean insecure;

  @Option(names = "--user", paramLabel = "NAME", description = "Sign in as this local user instead of in the browser.")
  String user;

  @Option(names = "--password-stdin", description = "Read the password from the first line of stdin (with --user).")
  boolean passwordStdin;

  @Option(names = "--totp", paramLabel = "CODE", description = "The current TOTP code (with --user); asked for when needed.")
  String totp;

  @Option(names = "--provider", paramLabel = "NAME", description = "The local provider (with --user); the server's default if omitted.")
  String provider;

  @Option(names = "--no-browser", description = "Do not start a browser; only print the sign-in URL.")
  boolean noBrowser;

  /** The real world ({@link CliContext#system()}). */
  public LoginCommand() {
    this(null);
  }

  public LoginCommand(CliContext context) {
    super(context);
  }

  @Override
  int run() throws IOException {
    URI proxyUrl = ProxyUrl.parse(proxy);
    if (user == null && (passwordStdin || totp != null || provider != null)) {
      throw CliFailure.usage("--password-stdin, --totp and --provider need --user (the browser sign-in asks for"
          + " everything itself)");
    }
    if (user != null && noBrowser) {
      throw CliFailure.usage("--no-browser is for the browser sign-in (without --user)");
    }
    if (insecure) {
      warnInsecure(proxyUrl);
    }
    CliHome home = home();
    Optional<Profile> previous = previousProfile(home);
    try (ApiClient api = api(proxyUrl, insecure)) {
      ApiClient.Login login = user != null ? localLogin(api) : browserLogin(api);
      SshCredentials.Issued issued;
      try {
        issued = SshCredentials.obtain(api, login.token(), login.user() + "@portcullis", context().random());
      } catch (CliFailure failure) {
        endQuietly(api, login.token());
        throw CliFailure.failure("signed in as " + login.user() + ", but could not set up SSH access: "
            + failure.getMessage());
      }
      Profile profile = new Profile(proxyUrl, login.user(), login.provider(), login.roles(),
          issued.response().principals(), login.token(), login.expiresAt(), insecure);
      SshAgent agent = new SshAgent(context().environment());
      if (previous.isPresent() && agent.present()) {
        // The previous key shares the file name; take it out of the agent before the files are replaced.
        agent.remove(home.privateKey()).ifPresent(problem -> err().println("note: " + problem));
      }
      SshCredentials.store(home, issued, profile);
      previous.filter(old -> !old.token().equals(login.token())).ifPresent(this::endPrevious);
      String agentState = loadIntoAgent(agent, home, issued);
      printSignedIn(profile, issued, home, agentState);
    }
    return 0;
  }

  private ApiClient.Login localLogin(ApiClient api) {
    if (user.isBlank()) {
      throw CliFailure.usage("--user: empty (expected: a user name)");
    }
    String password = readPassword();
    String code = totp;
    try {
      return api.loginLocal(provider, user, password, code);
    } catch (ServerError e) {
      if (!e.code().equals("totp-required") || code != null) {
        throw e;
      }
      if (!context().terminal().interactive()) {
        throw CliFailure.usage("the server asks for a TOTP code for " + user + ": pass --totp CODE");
      }
      code = context().terminal().readLine("TOTP code for " + user + ": ");
      if (code == null || code.isBlank()) {
        throw CliFailure.failure("no TOTP code entered");
      }
      return api.loginLocal(provider, user, password, code.strip());
    }
  }

  private String readPassword() {
    if (passwordStdin) {
      return firstLine(context().stdin());
    }
    Terminal terminal = context().terminal();
    if (!terminal.interactive()) {
      throw CliFailure.usage("no terminal to ask for the password of " + user + ": pass --password-stdin and"
          + " write the password to stdin");
    }
    char[] secret = terminal.readSecret("Password for " + user + ": ");
    if (secret == null || secret.length == 0) {
      throw CliFailure.failure("no password entered");
    }
    try {
      return new String(secret);
    } finally {
      Arrays.fill(secret, '\0');
    }
  }

  /** The first line of stdin without its line ending; the password may hold any other character. */
  private static String firstLine(InputStream stdin) {
    byte[] bytes;
    try {
      bytes = stdin.readNBytes(MAX_PASSWORD_BYTES + 1);
    } catch (IOException e) {
      throw CliFailure.failure("--password-stdin: cannot read stdin (" + e.getMessage() + ")");
    }
    if (bytes.length > MAX_PASSWORD_BYTES) {
      throw CliFailure.usage("--password-stdin: more than " + MAX_PASSWORD_BYTES + " bytes on stdin (expected: the password)");
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    Arrays.fill(bytes, (byte) 0);
    int end = text.indexOf('\n');
    String line = end < 0 ? text : text.substring(0, end);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.isEmpty()) {
      throw CliFailure.usage("--password-stdin: stdin is empty (expected: the password on the first line)");
    }
    return line;
  }

  private ApiClient.Login browserLogin(ApiClient api) throws IOException {
    Pkce pkce = Pkce.create(context().random());
    String state = Pkce.randomToken(context().random());
    try (LoopbackCallback callback = LoopbackCallback.start(state)) {
      URI uri = api.authorizeUri(callback.port(), state, pkce.challenge());
      err().println("Sign in with your browser. If it does not open, open this URL in a browser on this computer"
          + " (it returns to 127.0.0.1:" + callback.port() + "):");
      err().println("  " + uri);
      err().flush();
      if (!noBrowser) {
        try {
          context().browser().open(uri);
        } catch (IOException e) {
          err().println("(no browser started: " + e.getMessage() + ")");
        }
      }
      Duration timeout = context().browserTimeout();
      err().println("Waiting for the sign-in to finish in the browser...");
      err().flush();
      String code = callback.await(timeout);
      return api.exchangeCode(code, pkce.verifier());
    }
  }

  private Optional<Profile> previousProfile(CliHome home) {
    try {
      return home.readProfile();
    } catch (CliFailure damaged) {
      return Optional.empty(); // A damaged profile is simply replaced.
    }
  }

  /** Ends the session this profile replaces, so sessions do not pile up on the server. */
  private void endPrevious(Profile old) {
    if (old.insecure()) {
      warnInsecure(old.proxy());
    }
    try (ApiClient api = api(old.proxy(), old.insecure())) {
      api.logout(old.token());
    } catch (ServerError e) {
      if (e.status() != 401) {
        err().println("note: could not end the previous session at " + old.proxy() + ": " + e.getMessage());
      }
    } catch (CliFailure e) {
      err().println("note: could not end the previous session at " + old.proxy() + ": " + e.getMessage());
    }
  }

  private static void endQuietly(ApiClient api, String token) {
    try {
      api.logout(token);
    } catch (CliFailure ignored) {
      // The session expires by itself; the certificate failure is what the user needs to see.
    }
  }

  private String loadIntoAgent(SshAgent agent, CliHome home, SshCredentials.Issued issued) {
    if (!agent.present()) {
      return "not used (SSH_AUTH_SOCK is not set)";
    }
    Duration lifetime = Duration.between(now(), issued.certificate().validBefore());
    Optional<String> problem = agent.add(home.privateKey(), lifetime);
    if (problem.isPresent()) {
      err().println("note: could not add the key to ssh-agent: " + problem.get());
      return "not added (" + problem.get() + ")";
    }
    return "key and certificate added until the certificate expires";
  }

  private void printSignedIn(Profile profile, SshCredentials.Issued issued, CliHome home, String agentState) {
    var out = out();
    out.println("Signed in to " + profile.proxy() + " as " + profile.user() + " (" + profile.provider() + ").");
    out.println("  Roles:        " + list(profile.roles()));
    out.println("  Logins:       " + list(profile.logins()));
    out.println("  Certificate:  valid until " + when(issued.certificate().validBefore()) + ", key ID "
        + issued.certificate().keyId() + ", serial " + issued.certificate().serial());
    out.println("  Session:      until " + when(profile.expiresAt()));
    out.println("  Key:          " + home.privateKey());
    out.println("  ssh-agent:    " + agentState);
    out.println("Connect with: portcullis ssh LOGIN@HOST, or add the output of"
        + " portcullis ssh-config --hosts 'PATTERN' to ~/.ssh/config.");
  }

  static String list(List<String> values) {
    return values.isEmpty() ? "(none)" : String.join(", ", values);
  }
}
