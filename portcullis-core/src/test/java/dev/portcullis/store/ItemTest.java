package dev.portcullis.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ItemTest {

  @Test
  void callersCannotChangeTheStoredBytes() {
    byte[] value = {1, 2, 3};
    Item item = new Item("k", value, 1, Optional.empty());

    value[0] = 9;
    item.value()[1] = 9;

    assertThat(item.value()).containsExactly(1, 2, 3);
  }

  @Test
  void equalityComparesTheBytesNotTheArrays() {
    Item a = new Item("k", new byte[] {1}, 1, Optional.empty());
    Item b = new Item("k", new byte[] {1}, 1, Optional.empty());

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(new Item("k", new byte[] {2}, 1, Optional.empty()));
  }

  @Test
  void toStringLeavesTheValueOut() {
    Item item = new Item("tokens/t1", "secret-token".getBytes(StandardCharsets.UTF_8), 7, Optional.of(Instant.EPOCH));

    assertThat(item.toString()).doesNotContain("secret").contains("tokens/t1", "12 bytes", "revision=7");
  }

  @Test
  void liveUntilItsExpiry() {
    Item item = new Item("k", new byte[0], 1, Optional.of(Instant.ofEpochSecond(10)));

    assertThat(item.liveAt(Instant.ofEpochSecond(9))).isTrue();
    assertThat(item.liveAt(Instant.ofEpochSecond(10))).isFalse();
    assertThat(new Item("k", new byte[0], 1, Optional.empty()).liveAt(Instant.MAX)).isTrue();
  }

  @Test
  void rejectsRevisionsBelowOne() {
    assertThatThrownBy(() -> new Item("k", new byte[0], 0, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("revision: 0 (expected: >= 1)");
  }
}
