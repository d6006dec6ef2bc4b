package dev.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityTest {

  @Test
  void requiresAUsernameAndAProvider() {
    assertThatThrownBy(() -> new Identity(" ", "", List.of(), Map.of(), "corp", "s"))
        .hasMessage("username: \"\" (expected: not blank)");
    assertThatThrownBy(() -> new Identity("alice", "", List.of(), Map.of(), "", "s"))
        .hasMessage("provider: \"\" (expected: not blank)");
  }

  @Test
  void copiesClaimsDeeplyAndDropsNulls() {
    List<Object> roles = new ArrayList<>(List.of("a"));
    Map<String, Object> nested = new HashMap<>();
    nested.put("roles", roles);
    nested.put("gone", null);
    Map<String, Object> claims = new HashMap<>();
    claims.put("realm_access", nested);
    claims.put("level", 3);

    Identity identity = new Identity("alice", null, null, claims, "corp", null);
    roles.add("b");

    @SuppressWarnings("unchecked")
    Map<String, Object> copied = (Map<String, Object>) identity.claims().get("realm_access");
    assertThat(copied).containsOnlyKeys("roles");
    assertThat(copied.get("roles")).isEqualTo(List.of("a"));
    assertThatThrownBy(() -> identity.claims().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(identity.email()).isEmpty();
    assertThat(identity.groups()).isEmpty();
  }

  @Test
  void refusesClaimValuesThatAreNotJson() {
    assertThatThrownBy(() -> new Identity("alice", "", List.of(), Map.of("when", new Object()), "corp", "s"))
        .hasMessageStartingWith("claims.when: a java.lang.Object (expected: String, Number, Boolean, List or Map)");
  }

  @Test
  void splitsTheEmailAtTheLastAt() {
    Identity identity = new Identity("alice", "Alice.Smith@Example.COM", List.of(), Map.of(), "corp", "s");

    assertThat(identity.emailLocalPart()).isEqualTo("Alice.Smith");
    assertThat(identity.emailDomain()).isEqualTo("example.com");
  }
}
