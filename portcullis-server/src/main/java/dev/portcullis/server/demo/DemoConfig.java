package dev.portcullis.server.demo;

import dev.portcullis.localauth.PasswordHasher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Writes the demo's configuration: two local users, a role for everyone, the whoami and ops apps, and the SSH
 * bastion in front of the demo node.
 */
public final class DemoConfig {
  public static final String PASSWORD = "portcullis";
  /** Where the demo's SSH bastion listens on loopback unless told otherwise. */
  public static final int BASTION_PORT = 3022;

  private DemoConfig() {}

  /** Writes {@code portcullis-demo.yaml} into the data directory and returns its path. */
  public static Path write(Path dataDir, int port, int bastionPort, int whoamiPort, int opsPort, SecureRandom random)
      throws IOException {
    PasswordHasher hasher = new PasswordHasher(random);
    String yaml = """
        # Written by `portcullis demo` at every start. To experiment, copy this file and run
        # `portcullis start --config COPY`: edits to a running server's file are reloaded live.
        server:
          listen: 127.0.0.1:%1$d
          public_url: https://portcullis.localhost:%1$d
          data_dir: %2$s

        identity_providers:
          - name: local
            type: local
            display_name: Demo users
            users:
              - username: alice
                email: alice@example.com
                groups: [dev]
                password_hash: "%3$s"
              - username: bob
                email: bob@example.com
                groups: [ops]
                password_hash: "%4$s"

        roles:
          - name: employee
            allow:
              app_labels: {"*": ["*"]}
              node_labels: {env: [demo]}
              logins: ["{{internal.username}}"]
            options:
              max_session_ttl: 8h
          - name: operator
            allow:
              node_labels: {"*": ["*"]}
              logins: [ops]
              sudo: true
            options:
              max_session_ttl: 2h
              port_forwarding: true

        role_mappings:
          - everyone: true
            roles: [employee]
          - groups: [ops]
            roles: [operator]

        apps:
          - name: whoami
            host: whoami.localhost
            upstream: http://127.0.0.1:%5$d
            labels: {env: demo}
          - name: ops
            host: ops.localhost
            upstream: http://127.0.0.1:%6$d
            labels: {env: demo, team: ops}
            rules:
              allow:
                - groups: [ops]

        # `ssh -F demo_ssh_config alice@demo-node` jumps through this bastion. Clients dial 127.0.0.1: outside
        # browsers, portcullis.localhost does not resolve on every machine.
        ssh:
          bastion:
            listen: 127.0.0.1:%7$d
            public_address: 127.0.0.1:%7$d
        """.formatted(port, dataDir.toAbsolutePath(), hasher.hash(PASSWORD.toCharArray()),
            hasher.hash(PASSWORD.toCharArray()), whoamiPort, opsPort, bastionPort);
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve("portcullis-demo.yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
