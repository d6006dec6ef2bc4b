package dev.portcullis.server.cli;

import dev.portcullis.config.AppConfig;
import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ConfigLoader;
import dev.portcullis.config.PortcullisConfig;
import dev.portcullis.identity.Identity;
import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.AppResource;
import dev.portcullis.policy.Decision;
import dev.portcullis.policy.PolicyEngine;
import dev.portcullis.policy.Reason;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portcullis access check}: what the policy decides for a user and a request, and why. */
@Command(name = "access", mixinStandardHelpOptions = true, description = "Explain access decisions.",
    subcommands = AccessCommand.Check.class)
final class AccessCommand {

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Print the decision for a user and a request, with the rule that made it. Exit code 0 = allow, 1 = deny.")
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-c", "--config"}, defaultValue = "${PORTCULLIS_CONFIG:-./data/portcullis-demo.yaml}",
        description = "The YAML configuration (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--user", description = "User name; omit to check an anonymous request.")
    String user;

    @Option(names = "--email", defaultValue = "", description = "The user's email address.")
    String email;

    @Option(names = "--groups", split = ",", description = "The user's groups, comma-separated.")
    List<String> groups = new ArrayList<>();

    @Option(names = "--claim", description = "Further IdP claims as name=value (repeatable).")
    Map<String, String> claims = new LinkedHashMap<>();

    @Option(names = "--provider", defaultValue = "cli", description = "Identity provider name (default: ${DEFAULT-VALUE}).")
    String provider;

    @Option(names = "--app", required = true, description = "The app name.")
    String app;

    @Option(names = "--path", defaultValue = "/", description = "Request path (default: ${DEFAULT-VALUE}).")
    String path;

    @Option(names = "--method", defaultValue = "GET", description = "HTTP method (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--source-ip", defaultValue = "127.0.0.1", description = "Client IP (default: ${DEFAULT-VALUE}).")
    String sourceIp;

    @Override
    public Integer call() {
      PortcullisConfig loaded;
      try {
        loaded = ConfigLoader.load(config);
      } catch (ConfigException e) {
        throw new CliException(e.getMessage());
      }
      AppConfig target = loaded.apps().stream().filter(a -> a.name().equals(app)).findFirst()
          .orElseThrow(() -> new CliException("--app: no app named '" + app + "' (expected one of: "
              + String.join(", ", loaded.apps().stream().map(AppConfig::name).toList()) + ")"));
      if (!path.startsWith("/")) {
        throw new CliException("--path: '" + path + "' (expected: starts with /)");
      }
      InetAddress source;
      try {
        source = InetAddress.ofLiteral(sourceIp);
      } catch (IllegalArgumentException e) {
        throw new CliException("--source-ip: '" + sourceIp + "' is not an IP address");
      }
      Optional<Identity> identity = Optional.ofNullable(user).map(name -> {
        Map<String, Object> allClaims = new LinkedHashMap<>(claims);
        allClaims.put("sub", name);
        allClaims.put("groups", groups);
        if (!email.isEmpty()) {
          allClaims.put("email", email);
        }
        return new Identity(name, email, groups, allClaims, provider, name);
      });
      Decision decision = new PolicyEngine(dev.portcullis.policy.PolicySnapshot.of(loaded)).decide(new AccessRequest(identity,
          new AppResource(target.name(), target.host(), target.labels()), method.toUpperCase(java.util.Locale.ROOT),
          path, source, Clock.systemUTC().instant()));
      PrintWriter out = spec.commandLine().getOut();
      String who = identity.map(i -> i.username() + (groups.isEmpty() ? "" : " (groups " + String.join(",", groups) + ")"))
          .orElse("anonymous");
      switch (decision) {
        case Decision.Allow allow -> {
          out.printf("ALLOW %s -> %s %s %s%n", who, app, method, path);
          out.printf("  roles: %s%n", allow.roles().isEmpty() ? "(none)" : String.join(", ", allow.roles()));
        }
        case Decision.Deny deny -> out.printf("DENY  %s -> %s %s %s%n", who, app, method, path);
      }
      for (Reason reason : decision.reasons()) {
        out.printf("  %s: %s%n", reason.code(), reason.detail());
      }
      out.flush();
      return decision instanceof Decision.Allow ? 0 : 1;
    }
  }
}
