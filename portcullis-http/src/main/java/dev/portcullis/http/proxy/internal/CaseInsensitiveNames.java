package dev.portcullis.http.proxy.internal;

import io.netty.util.AsciiString;
import java.util.Map;

/**
 * A fixed table from header field names to values that is looked up in any letter case without lower-casing
 * the name first. Netty's decoded names are {@link AsciiString}s whose case-insensitive hash is computed
 * once, so a lookup costs one probe and one comparison.
 */
final class CaseInsensitiveNames<V> {

  private final AsciiString[] names;
  private final Object[] values;
  private final int mask;

  CaseInsensitiveNames(Map<String, V> entries) {
    int size = Integer.highestOneBit(Math.max(4, entries.size() * 4) - 1) << 1; // load factor at most 1/4
    names = new AsciiString[size];
    values = new Object[size];
    mask = size - 1;
    for (Map.Entry<String, V> entry : entries.entrySet()) {
      AsciiString name = AsciiString.cached(entry.getKey());
      int slot = spread(name.hashCode()) & mask;
      while (names[slot] != null) {
        if (names[slot].contentEqualsIgnoreCase(name)) {
          throw new IllegalArgumentException("entries: '" + name + "' twice (expected: names distinct in any case)");
        }
        slot = (slot + 1) & mask;
      }
      names[slot] = name;
      values[slot] = entry.getValue();
    }
  }

  /** The value for {@code name} in any case, or {@code null}. */
  @SuppressWarnings("unchecked")
  V get(CharSequence name) {
    int slot = spread(AsciiString.hashCode(name)) & mask;
    AsciiString candidate;
    while ((candidate = names[slot]) != null) {
      if (candidate.contentEqualsIgnoreCase(name)) {
        return (V) values[slot];
      }
      slot = (slot + 1) & mask;
    }
    return null;
  }

  private static int spread(int hash) {
    return hash ^ (hash >>> 16);
  }
}
