package dev.portcullis.store;

/**
 * The rules every {@link Store} key and key prefix must follow, checked before any backend sees them.
 *
 * <p>A key is 1 to {@value #MAX_KEY_LENGTH} characters, not blank, with no control characters and no
 * unpaired surrogates, so that every key is printable and has exactly one UTF-8 form.
 */
public final class StoreKeys {
  /** The longest key, in UTF-16 characters. */
  public static final int MAX_KEY_LENGTH = 512;

  /** The most items one {@link Store#range} call returns. */
  public static final int MAX_RANGE_LIMIT = 10_000;

  private StoreKeys() {}

  /** Returns {@code key} when it is valid, or throws an exception that says what is wrong. */
  public static String requireValid(String key) {
    if (key == null) {
      throw new NullPointerException("key");
    }
    if (key.isBlank()) {
      throw new IllegalArgumentException("key: \"" + key + "\" (expected: not blank)");
    }
    checkCharacters("key", key);
    return key;
  }

  /** Returns {@code prefix} when it is empty or could begin a valid key. */
  public static String requireValidPrefix(String prefix) {
    if (prefix == null) {
      throw new NullPointerException("prefix");
    }
    checkCharacters("prefix", prefix);
    return prefix;
  }

  /** Returns {@code limit} when it is 1 to {@value #MAX_RANGE_LIMIT}. */
  public static int requireValidLimit(int limit) {
    if (limit < 1 || limit > MAX_RANGE_LIMIT) {
      throw new IllegalArgumentException(
          "limit: " + limit + " (expected: 1.." + MAX_RANGE_LIMIT + ")");
    }
    return limit;
  }

  private static void checkCharacters(String name, String value) {
    if (value.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          name + ": " + value.length() + " characters (expected: <= " + MAX_KEY_LENGTH + ")");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            name + ": control character U+" + String.format("%04X", (int) c) + " at index " + i
                + " (expected: printable characters only)");
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            name + ": unpaired surrogate at index " + i + " (expected: well-formed Unicode)");
      }
    }
  }
}
