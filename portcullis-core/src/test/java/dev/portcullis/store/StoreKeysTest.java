package dev.portcullis.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StoreKeysTest {

  @Test
  void acceptsPrintableKeysUpToFiveHundredTwelveCharacters() {
    assertThat(StoreKeys.requireValid("sessions/ab-12_x.y:z@é日\uD83D\uDE00")).isNotEmpty();
    assertThat(StoreKeys.requireValid("k".repeat(512))).hasSize(512);
  }

  @Test
  void explainsWhatIsWrongWithAKey() {
    assertThatThrownBy(() -> StoreKeys.requireValid(" "))
        .hasMessage("key: \" \" (expected: not blank)");
    assertThatThrownBy(() -> StoreKeys.requireValid("k".repeat(513)))
        .hasMessage("key: 513 characters (expected: <= 512)");
    assertThatThrownBy(() -> StoreKeys.requireValid("a\tb"))
        .hasMessage("key: control character U+0009 at index 1 (expected: printable characters only)");
    assertThatThrownBy(() -> StoreKeys.requireValid("ab\uDE00"))
        .hasMessage("key: unpaired surrogate at index 2 (expected: well-formed Unicode)");
    assertThatThrownBy(() -> StoreKeys.requireValid("\uD83D"))
        .hasMessage("key: unpaired surrogate at index 0 (expected: well-formed Unicode)");
  }

  @Test
  void anEmptyPrefixIsAllowedButAnEmptyKeyIsNot() {
    assertThat(StoreKeys.requireValidPrefix("")).isEmpty();
    assertThatThrownBy(() -> StoreKeys.requireValid("")).isInstanceOf(IllegalArgumentException.class);
  }
}
