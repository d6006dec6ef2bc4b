package dev.portcullis.http.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The client's request headers as an immutable multimap with lower-case names, in arrival order.
 * {@link #toString()} hides the values of credential headers.
 */
public final class RequestHeaders {

  private static final RequestHeaders EMPTY = new RequestHeaders(new String[0], new String[0]);
  private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "cookie");

  private final String[] names;
  private final String[] values;

  private RequestHeaders(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  public static RequestHeaders of() {
    return EMPTY;
  }

  /** Copies {@code entries}, lower-casing names; each name must be a token and each value free of CR/LF/NUL. */
  public static RequestHeaders of(List<Map.Entry<String, String>> entries) {
    List<Map.Entry<String, String>> checked = HeaderChecks.copyOf(entries, "headers");
    String[] names = new String[checked.size()];
    String[] values = new String[checked.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = checked.get(i).getKey().toLowerCase(Locale.ROOT);
      values[i] = checked.get(i).getValue();
    }
    return new RequestHeaders(names, values);
  }

  /**
   * Wraps arrays the caller has already validated and lower-cased and will never touch again; the server's
   * hot path uses this to avoid a second copy.
   */
  public static RequestHeaders trusted(String[] lowerCaseNames, String[] values) {
    if (lowerCaseNames.length != values.length) {
      throw new IllegalArgumentException(
          "values: " + values.length + " entries (expected: " + lowerCaseNames.length + ", one per name)");
    }
    return new RequestHeaders(lowerCaseNames, values);
  }

  /** The first value of {@code name} (any case), if present. */
  public Optional<String> first(String name) {
    return Optional.ofNullable(get(name));
  }

  /** The first value of {@code name} (any case), or {@code null}. */
  public String get(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(lower)) {
        return values[i];
      }
    }
    return null;
  }

  /** Every value of {@code name} (any case), in arrival order. */
  public List<String> all(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    List<String> found = null;
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(lower)) {
        if (found == null) {
          found = new ArrayList<>(2);
        }
        found.add(values[i]);
      }
    }
    return found == null ? List.of() : Collections.unmodifiableList(found);
  }

  public boolean contains(String name) {
    return get(name) != null;
  }

  /** Distinct lower-case names in arrival order. */
  public Set<String> names() {
    Set<String> distinct = new LinkedHashSet<>();
    Collections.addAll(distinct, names);
    return Collections.unmodifiableSet(distinct);
  }

  /** Number of header lines (repeated names count once per line). */
  public int size() {
    return names.length;
  }

  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < names.length; i++) {
      action.accept(names[i], values[i]);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RequestHeaders other && java.util.Arrays.equals(names, other.names)
        && java.util.Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(names) * 31 + java.util.Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      text.append(i == 0 ? "" : ", ").append(names[i]).append('=')
          .append(SECRET_HEADERS.contains(names[i]) ? "<redacted>" : values[i]);
    }
    return text.append('}').toString();
  }
}
