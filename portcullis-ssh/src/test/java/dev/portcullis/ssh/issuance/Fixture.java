package dev.portcullis.ssh.issuance;

import dev.portcullis.config.ConfigLoader;
import dev.portcullis.identity.Identity;
import dev.portcullis.policy.PolicySnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The issuance policy ({@code issuance/policy.yaml}) and users whose roles combine in telling ways. */
final class Fixture {
  static final PolicySnapshot POLICY = load();

  static final Identity ALICE = user("alice", "alice@example.com", List.of("dev"), Map.of("unix_login", "asmith"));
  static final Identity OSCAR = user("oscar", "oscar@example.com", List.of("dev", "ops"), Map.of());
  static final Identity OLGA = user("olga", "olga@example.com", List.of("ops"), Map.of());
  static final Identity DINA = user("dina", "dina@example.com", List.of("dev", "designer"), Map.of());
  static final Identity PAT = user("pat", "pat@example.com", List.of("plain"), Map.of());
  static final Identity VIC = user("vic", "vic@example.com", List.of("viewer"), Map.of());
  static final Identity BOB = user("bob", "bob@example.com", List.of(), Map.of());

  private Fixture() {}

  static Identity user(String name, String email, List<String> groups, Map<String, Object> claims) {
    return new Identity(name, email, groups, claims, "corp", "sub-" + name);
  }

  private static PolicySnapshot load() {
    try (InputStream in = Fixture.class.getResourceAsStream("/issuance/policy.yaml")) {
      return PolicySnapshot.of(ConfigLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
          "policy.yaml", Map.of()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
