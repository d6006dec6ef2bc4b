package dev.portcullis.http.server.internal;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/** Buffers a small request body for a local endpoint, refusing to grow past its limit. */
final class BodyCollector {

  private final int limit;
  private byte[] bytes = new byte[0];
  private int length;

  BodyCollector(int limit) {
    this.limit = limit;
  }

  /** Appends {@code part}; false once the body would exceed the limit. */
  boolean add(ByteBuf part) {
    int readable = part.readableBytes();
    if (readable > limit - length) {
      return false;
    }
    if (length + readable > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(length + readable, bytes.length * 2 + 256)));
    }
    part.getBytes(part.readerIndex(), bytes, length, readable);
    length += readable;
    return true;
  }

  byte[] toBytes() {
    return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
  }
}
