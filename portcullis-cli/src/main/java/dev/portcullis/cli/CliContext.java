package dev.portcullis.cli;

import dev.portcullis.cli.internal.SystemBrowser;
import dev.portcullis.cli.internal.SystemTerminal;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Everything the user commands take from the outside world: environment, time, randomness, the terminal,
 * the browser, how ssh is run, and which TLS certificates are trusted. {@link #system()} is the real one;
 * tests build their own with {@link #builder()}.
 *
 * @param environment    the process environment ({@code PORTCULLIS_HOME}, {@code SSH_AUTH_SOCK}, {@code BROWSER})
 * @param userHome       the user's home directory; the CLI keeps its files in {@code .portcullis} there
 * @param clock          the time certificates and sessions are judged by
 * @param random         source of keys, PKCE verifiers and state
 * @param stdin          where {@code --password-stdin} reads from
 * @param terminal       answers prompts (password, TOTP) when interactive
 * @param browser        opens the sign-in page
 * @param processes      runs {@code ssh} for {@code portcullis ssh}
 * @param trustedTls     the TLS trust used unless {@code --insecure}: the system's by default
 * @param browserTimeout how long the browser sign-in may take (5 minutes by default)
 */
public record CliContext(
    Map<String, String> environment,
    Path userHome,
    InstantSource clock,
    SecureRandom random,
    InputStream stdin,
    Terminal terminal,
    Browser browser,
    ProcessLauncher processes,
    Supplier<SSLContext> trustedTls,
    Duration browserTimeout) {

  public static final Duration DEFAULT_BROWSER_TIMEOUT = Duration.ofMinutes(5);

  public CliContext {
    environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    Objects.requireNonNull(userHome, "userHome");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(stdin, "stdin");
    Objects.requireNonNull(terminal, "terminal");
    Objects.requireNonNull(browser, "browser");
    Objects.requireNonNull(processes, "processes");
    Objects.requireNonNull(trustedTls, "trustedTls");
    Objects.requireNonNull(browserTimeout, "browserTimeout");
    if (browserTimeout.isNegative() || browserTimeout.isZero()) {
      throw new IllegalArgumentException("browserTimeout: " + browserTimeout + " (expected: > 0)");
    }
  }

  /** The real world: this process's environment, system clock and terminal, ssh attached to the terminal. */
  public static CliContext system() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The CLI's directory: {@code $PORTCULLIS_HOME}, else {@code ~/.portcullis}; always absolute. */
  public Path home() {
    String override = environment.get("PORTCULLIS_HOME");
    Path home = override == null || override.isBlank() ? userHome.resolve(".portcullis") : Path.of(override);
    return home.toAbsolutePath().normalize();
  }

  /** Builds a {@link CliContext}; every value defaults to the real one. */
  public static final class Builder {
    private Map<String, String> environment = System.getenv();
    private Path userHome = Path.of(System.getProperty("user.home"));
    private InstantSource clock = InstantSource.system();
    private SecureRandom random;
    private InputStream stdin = System.in;
    private Terminal terminal = new SystemTerminal();
    private Browser browser;
    private ProcessLauncher processes = command -> new ProcessBuilder(command).inheritIO().start().waitFor();
    private Supplier<SSLContext> trustedTls = Builder::systemTls;
    private Duration browserTimeout = DEFAULT_BROWSER_TIMEOUT;

    private Builder() {}

    /** Default: {@link System#getenv()}. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Default: the {@code user.home} system property. */
    public Builder userHome(Path userHome) {
      this.userHome = Objects.requireNonNull(userHome, "userHome");
      return this;
    }

    /** Default: the system clock. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Default: a new {@link SecureRandom}. */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Default: {@link System#in}. */
    public Builder stdin(InputStream stdin) {
      this.stdin = Objects.requireNonNull(stdin, "stdin");
      return this;
    }

    /** Default: {@link System#console()} when it is a terminal. */
    public Builder terminal(Terminal terminal) {
      this.terminal = Objects.requireNonNull(terminal, "terminal");
      return this;
    }

    /** Default: {@code $BROWSER}, else {@code open} on macOS, else {@code xdg-open} when a display is set. */
    public Builder browser(Browser browser) {
      this.browser = Objects.requireNonNull(browser, "browser");
      return this;
    }

    /** Default: starts the command with this process's stdin, stdout and stderr and waits for it. */
    public Builder processes(ProcessLauncher processes) {
      this.processes = Objects.requireNonNull(processes, "processes");
      return this;
    }

    /** Default: the JDK's default {@link SSLContext} (its trust store). */
    public Builder trustedTls(Supplier<SSLContext> trustedTls) {
      this.trustedTls = Objects.requireNonNull(trustedTls, "trustedTls");
      return this;
    }

    /** Default: {@link #DEFAULT_BROWSER_TIMEOUT}. */
    public Builder browserTimeout(Duration browserTimeout) {
      this.browserTimeout = Objects.requireNonNull(browserTimeout, "browserTimeout");
      return this;
    }

    public CliContext build() {
      return new CliContext(environment, userHome, clock, random == null ? new SecureRandom() : random, stdin,
          terminal, browser == null ? new SystemBrowser(environment) : browser, processes, trustedTls,
          browserTimeout);
    }

    private static SSLContext systemTls() {
      try {
        return SSLContext.getDefault();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no default TLS context", e);
      }
    }
  }
}
