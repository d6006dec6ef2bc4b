package dev.portcullis.bastion.recording.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes one terminal byte stream chunk by chunk: a character split across chunks is carried into the
 * next chunk instead of being mangled, and bytes that can never be UTF-8 become U+FFFD. Not thread-safe.
 */
public final class Utf8Stream {
  /** The longest incomplete sequence the decoder can leave behind: three bytes of a four-byte character. */
  private static final int MAX_CARRY = 3;

  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE)
      .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final byte[] carry = new byte[MAX_CARRY];
  private int carried;

  /** The complete characters in the carried bytes plus {@code bytes[offset, offset + length)}. */
  public String decode(byte[] bytes, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
    ByteBuffer in;
    if (carried == 0) {
      in = ByteBuffer.wrap(bytes, offset, length);
    } else {
      byte[] joined = new byte[carried + length];
      System.arraycopy(carry, 0, joined, 0, carried);
      System.arraycopy(bytes, offset, joined, carried, length);
      in = ByteBuffer.wrap(joined);
    }
    String text = run(in, false);
    carried = in.remaining();
    in.get(carry, 0, carried);
    return text;
  }

  /** What the carried bytes amount to when the stream ends: a replacement character, or nothing. */
  public String finish() {
    if (carried == 0) {
      return "";
    }
    String text = run(ByteBuffer.wrap(carry, 0, carried), true);
    carried = 0;
    return text;
  }

  /** Forgets the carried bytes, for a stream whose next bytes do not follow on from the last ones. */
  public void reset() {
    carried = 0;
  }

  private String run(ByteBuffer in, boolean endOfInput) {
    // UTF-8 never decodes to more UTF-16 units than it has bytes, and a replacement is one unit per byte at most.
    CharBuffer out = CharBuffer.allocate(in.remaining());
    decoder.reset();
    decoder.decode(in, out, endOfInput);
    if (endOfInput) {
      decoder.flush(out);
    }
    if (in.remaining() > MAX_CARRY) {
      throw new IllegalStateException("the UTF-8 decoder left " + in.remaining() + " bytes (expected: <= 3)");
    }
    return out.flip().toString();
  }
}
