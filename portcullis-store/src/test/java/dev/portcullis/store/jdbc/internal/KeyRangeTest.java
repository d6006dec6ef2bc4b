package dev.portcullis.store.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyRangeTest {
  private static final String TOP = new String(Character.toChars(Character.MAX_CODE_POINT));

  @Test
  void endMovesTheLastCodePointUpByOne() {
    assertThat(KeyRange.end("users/")).contains("users0");
    assertThat(KeyRange.end("p/日")).contains("p/旦");
  }

  @Test
  void endCarriesPastTheHighestCodePoint() {
    assertThat(KeyRange.end("q" + TOP)).contains("r");
    assertThat(KeyRange.end("q" + TOP + TOP)).contains("r");
  }

  @Test
  void endStepsOverTheSurrogateBlock() {
    assertThat(KeyRange.end("q\uD7FF")).contains("q\uE000");
  }

  @Test
  void endMovesASupplementaryCodePointAsAWhole() {
    assertThat(KeyRange.end("p/\uD83D\uDE00")).contains("p/\uD83D\uDE01");
  }

  @Test
  void thereIsNoEndForTheEmptyPrefixOrOnlyTheHighestCodePoints() {
    assertThat(KeyRange.end("")).isEmpty();
    assertThat(KeyRange.end(TOP + TOP)).isEmpty();
  }
}
