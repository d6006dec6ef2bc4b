package dev.portcullis.store.jdbc.internal;

import java.util.Optional;

/**
 * Turns a key prefix into the half-open key range {@code [prefix, end)} that holds exactly the keys
 * starting with it, in UTF-8 byte order (Unicode code point order), so both backends can use their
 * primary-key index instead of a pattern match.
 */
public final class KeyRange {
  private static final int SURROGATES_START = 0xD800;
  private static final int SURROGATES_END = 0xDFFF;

  private KeyRange() {}

  /**
   * The smallest string above every string that starts with {@code prefix}: the prefix with its last
   * code point that can grow moved up by one, and what follows it dropped. Empty when there is none
   * (the prefix is empty or made only of U+10FFFF), so the range is unbounded above.
   */
  public static Optional<String> end(String prefix) {
    int index = prefix.length();
    while (index > 0) {
      int codePoint = prefix.codePointBefore(index);
      int start = index - Character.charCount(codePoint);
      if (codePoint < Character.MAX_CODE_POINT) {
        int next = codePoint + 1;
        if (next >= SURROGATES_START && next <= SURROGATES_END) {
          // No valid key holds a code point in the surrogate block, so the next one is U+E000.
          next = SURROGATES_END + 1;
        }
        return Optional.of(prefix.substring(0, start) + Character.toString(next));
      }
      index = start;
    }
    return Optional.empty();
  }
}
