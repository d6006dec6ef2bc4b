package dev.portcullis.localauth;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/** RFC 4648 base32 decoding, as authenticator apps encode TOTP secrets. */
final class Base32 {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private Base32() {}

  static byte[] decode(String text) {
    String normalized = text.replace(" ", "").replace("=", "").toUpperCase(Locale.ROOT);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (int i = 0; i < normalized.length(); i++) {
      int value = ALPHABET.indexOf(normalized.charAt(i));
      if (value < 0) {
        throw new IllegalArgumentException(
            "totp_secret: character " + (i + 1) + " is not base32 (expected: A-Z and 2-7)");
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }
}
