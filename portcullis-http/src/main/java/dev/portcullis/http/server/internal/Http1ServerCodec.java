package dev.portcullis.http.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * HTTP/1.1 server codec: Netty's decoder, made to refuse obsolete line folding (RFC 9112 section 5.2), which
 * it would otherwise unfold silently, and an encoder told whether the current request is a HEAD.
 */
public final class Http1ServerCodec
    extends CombinedChannelDuplexHandler<Http1ServerCodec.StrictRequestDecoder, Http1ServerCodec.ResponseEncoder> {

  public Http1ServerCodec(HttpDecoderConfig config) {
    super(new StrictRequestDecoder(config), new ResponseEncoder());
  }

  public ResponseEncoder encoder() {
    return outboundHandler();
  }

  /** Raised for a header line that starts with a space or tab. */
  static final class ObsFoldException extends RuntimeException {
    ObsFoldException() {
      super("obsolete line folding", null, false, false);
    }
  }

  /**
   * Scans each request head before Netty parses it; Netty consumes whole lines only, so bytes already scanned
   * but not yet consumed are tracked and not scanned twice. Body bytes are never scanned.
   */
  static final class StrictRequestDecoder extends HttpRequestDecoder {
    private boolean inHead = true;
    private boolean firstLine = true;
    private boolean atLineStart = true;
    private int scannedAhead;
    private boolean refused;

    StrictRequestDecoder(HttpDecoderConfig config) {
      super(config);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
      if (refused) {
        buffer.skipBytes(buffer.readableBytes());
        return;
      }
      if (inHead && foldedLineAhead(buffer)) {
        refused = true;
        buffer.skipBytes(buffer.readableBytes());
        DefaultFullHttpRequest invalid = new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request", Unpooled.EMPTY_BUFFER);
        invalid.setDecoderResult(DecoderResult.failure(new ObsFoldException()));
        out.add(invalid);
        return;
      }
      int before = buffer.readerIndex();
      int emitted = out.size();
      super.decode(ctx, buffer, out);
      scannedAhead = Math.max(0, scannedAhead - (buffer.readerIndex() - before));
      for (int i = emitted; i < out.size(); i++) {
        if (out.get(i) instanceof LastHttpContent) {
          inHead = true;
          firstLine = true;
          atLineStart = true;
          scannedAhead = 0;
        }
      }
    }

    private boolean foldedLineAhead(ByteBuf buffer) {
      int reader = buffer.readerIndex();
      int end = buffer.writerIndex();
      int i = reader + scannedAhead;
      while (i < end) {
        if (atLineStart) {
          byte b = buffer.getByte(i);
          if (b == '\r') {
            i++;
            continue;
          }
          if (b == '\n') {
            if (!firstLine) {
              inHead = false; // the empty line: what follows is body or the next request
              scannedAhead = i + 1 - reader;
              return false;
            }
            i++; // an empty line before the request line is ignored (RFC 9112 section 2.2)
            continue;
          }
          if (!firstLine && (b == ' ' || b == '\t')) {
            return true;
          }
          atLineStart = false;
        }
        // Only line starts matter, so jump to the next LF (Netty searches a word at a time).
        int lf = buffer.indexOf(i, end, (byte) '\n');
        if (lf < 0) {
          break;
        }
        firstLine = false;
        atLineStart = true;
        i = lf + 1;
      }
      scannedAhead = end - reader;
      return false;
    }
  }

  /** Knows when the response answers a HEAD request, so it never writes a body or chunk terminator. */
  public static final class ResponseEncoder extends HttpResponseEncoder {
    private boolean headRequest;

    public void headRequest(boolean head) {
      this.headRequest = head;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
      return (headRequest && msg.status().code() >= 200) || super.isContentAlwaysEmpty(msg);
    }
  }
}
