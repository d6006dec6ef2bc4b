package dev.portcullis.http.server.internal;

import io.netty.util.AsciiString;
import java.util.Map;

/**
 * A header field from gate code that passed the server's name and value checks, kept also as Netty
 * {@link AsciiString}s: the HTTP encoder then copies its bytes in one go instead of char by char, and header
 * maps reuse its hash. It equals any {@link Map.Entry} with the same name and value, as {@link Map#entry} does.
 */
public final class CheckedHeader implements Map.Entry<String, String> {

  private final String name;
  private final String value;
  private final AsciiString asciiName;
  private final AsciiString asciiValue;

  /**
   * Only for values already checked (a token name; a value of visible characters, space and tab, none above
   * 0xff): this class trusts them. Gate results make theirs through the server's header checks.
   */
  public CheckedHeader(String name, String value) {
    this.name = name;
    this.value = value;
    this.asciiName = AsciiString.cached(name);
    this.asciiValue = new AsciiString(value);
  }

  @Override
  public String getKey() {
    return name;
  }

  @Override
  public String getValue() {
    return value;
  }

  /** The name, as the bytes it is sent as. */
  public AsciiString asciiName() {
    return asciiName;
  }

  /** The value, as the bytes it is sent as (each character is one byte, at most 0xff). */
  public AsciiString asciiValue() {
    return asciiValue;
  }

  @Override
  public String setValue(String newValue) {
    throw new UnsupportedOperationException("setValue: a checked header is immutable");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Map.Entry<?, ?> other && name.equals(other.getKey()) && value.equals(other.getValue());
  }

  @Override
  public int hashCode() {
    return name.hashCode() ^ value.hashCode();
  }

  @Override
  public String toString() {
    return name + "=" + value;
  }
}
