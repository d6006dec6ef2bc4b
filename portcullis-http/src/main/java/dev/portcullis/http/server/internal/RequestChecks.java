package dev.portcullis.http.server.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Iterator;
import java.util.List;

/**
 * Refuses requests whose framing or target could be read two ways (request smuggling) before the gate sees
 * them. Netty's decoder already refuses, and we map to 400: Content-Length with Transfer-Encoding, repeated or
 * non-numeric Content-Length, a final coding other than chunked, invalid header names or values, bare LF line
 * ends and HTTP/0.9. Added here: obs-fold (see {@link Http1ServerCodec}), any Transfer-Encoding but exactly
 * {@code chunked}, a missing or repeated Host, non origin-form targets, CONNECT and unknown expectations.
 */
public final class RequestChecks {

  private RequestChecks() {}

  /** Maps a decoder failure to the status and short reason sent back; never echoes the input. */
  public static RequestRejectedException fromDecoderFailure(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return new RequestRejectedException(414, "request line too long");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new RequestRejectedException(431, "request header fields too large");
    }
    if (cause instanceof Http1ServerCodec.ObsFoldException) {
      return RequestRejectedException.badRequest("obsolete line folding in header");
    }
    String message = String.valueOf(cause.getMessage());
    if (message.contains("Content-Length")) {
      return RequestRejectedException.badRequest("invalid Content-Length");
    }
    if (message.contains("chunk") || message.contains("Transfer-Encoding") || message.contains("transfer coding")) {
      return RequestRejectedException.badRequest("invalid Transfer-Encoding");
    }
    if (message.contains("header")) {
      return RequestRejectedException.badRequest("invalid header field");
    }
    return RequestRejectedException.badRequest("malformed request");
  }

  /** Checks an HTTP/1.x request head that Netty decoded without error. */
  public static void checkHttp1(HttpRequest request) {
    HttpVersion version = request.protocolVersion();
    if (version.majorVersion() != 1 || version.minorVersion() > 1) {
      throw new RequestRejectedException(505, "HTTP version not supported");
    }
    HttpHeaders headers = request.headers();
    if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
      if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        throw RequestRejectedException.badRequest("both Content-Length and Transfer-Encoding");
      }
      if (codings.size() != 1 || !codings.getFirst().trim().equalsIgnoreCase("chunked")) {
        throw RequestRejectedException.badRequest("unsupported Transfer-Encoding");
      }
      if (version.minorVersion() == 0) {
        throw RequestRejectedException.badRequest("Transfer-Encoding in HTTP/1.0");
      }
    }
    if (isRepeated(headers, HttpHeaderNames.CONTENT_LENGTH)) {
      throw RequestRejectedException.badRequest("duplicate Content-Length");
    }
    checkCommon(request);
  }

  /** Checks shared by HTTP/1.x and HTTP/2 requests. */
  public static void checkCommon(HttpRequest request) {
    if (HttpMethod.CONNECT.equals(request.method())) {
      throw new RequestRejectedException(405, "CONNECT not allowed");
    }
    String uri = request.uri();
    if (uri.isEmpty() || uri.charAt(0) != '/') {
      throw RequestRejectedException.badRequest("request target must be origin-form");
    }
    if (!request.headers().contains(HttpHeaderNames.HOST)) {
      throw RequestRejectedException.badRequest("missing Host");
    }
    if (isRepeated(request.headers(), HttpHeaderNames.HOST)) {
      throw RequestRejectedException.badRequest("repeated Host");
    }
    String expect = request.headers().get(HttpHeaderNames.EXPECT);
    if (expect != null && !expect.trim().equalsIgnoreCase("100-continue")) {
      throw new RequestRejectedException(417, "expectation not supported");
    }
  }

  /** Whether {@code name} occurs more than once, found without collecting its values. */
  private static boolean isRepeated(HttpHeaders headers, CharSequence name) {
    Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(name);
    if (!values.hasNext()) {
      return false;
    }
    values.next();
    return values.hasNext();
  }
}
