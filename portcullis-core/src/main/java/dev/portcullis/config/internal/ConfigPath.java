package dev.portcullis.config.internal;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Renders a key path inside the configuration file the way users write it ({@code apps[0].labels.env})
 * and as a JSON pointer ({@code /apps/0/labels/env}) for looking up source locations.
 *
 * <p>A path is a list of segments: a {@link String} is a mapping key, an {@link Integer} a list index.
 */
public final class ConfigPath {
  private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private ConfigPath() {}

  /** Returns the path as users read it, for example {@code apps[0].labels["app.kubernetes.io/name"]}. */
  public static String render(List<?> segments) {
    StringBuilder out = new StringBuilder();
    for (Object segment : segments) {
      if (segment instanceof Integer index) {
        out.append('[').append(index).append(']');
      } else {
        String key = String.valueOf(segment);
        if (SIMPLE_KEY.matcher(key).matches()) {
          if (!out.isEmpty()) {
            out.append('.');
          }
          out.append(key);
        } else {
          out.append('[').append(Check.quote(key)).append(']');
        }
      }
    }
    return out.toString();
  }

  /** Returns the path as an RFC 6901 JSON pointer; the empty list is the root, {@code ""}. */
  public static String pointer(List<?> segments) {
    StringBuilder out = new StringBuilder();
    for (Object segment : segments) {
      out.append('/').append(String.valueOf(segment).replace("~", "~0").replace("/", "~1"));
    }
    return out.toString();
  }
}
