package dev.portcullis.http.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A small, fully buffered response produced locally (redirects, error pages, JSON). Headers may repeat, so
 * several {@code Set-Cookie} headers are fine; the server adds {@code Content-Length} and framing itself.
 */
public record SimpleResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {

  private static final String NO_STORE = "no-store";

  public SimpleResponse {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status: " + status + " (expected: 200..599)");
    }
    headers = HeaderChecks.copyOf(headers, "headers");
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey();
      if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding")
          || name.equalsIgnoreCase("connection")) {
        throw new IllegalArgumentException(
            "headers: " + name + " (expected: no framing headers, the server sets them)");
      }
    }
    body = body == null ? new byte[0] : body.clone();
  }

  /** A plain-text UTF-8 response that is never cached. */
  public static SimpleResponse text(int status, String message) {
    return of(status, "text/plain; charset=utf-8", message);
  }

  /** An HTML UTF-8 response that is never cached. */
  public static SimpleResponse html(int status, String html) {
    return of(status, "text/html; charset=utf-8", html);
  }

  /** A JSON response (the caller serializes) that is never cached. */
  public static SimpleResponse json(int status, String json) {
    return of(status, "application/json", json);
  }

  /** A {@code 302 Found} redirect to {@code location}. */
  public static SimpleResponse redirect(String location) {
    return redirect(302, location);
  }

  /** A redirect with the given 3xx status to {@code location}, never cached. */
  public static SimpleResponse redirect(int status, String location) {
    if (status < 300 || status > 399) {
      throw new IllegalArgumentException("status: " + status + " (expected: 300..399)");
    }
    return new SimpleResponse(status,
        List.of(Map.entry("location", location), Map.entry("cache-control", NO_STORE)), new byte[0]);
  }

  /** This response with one more header (repeatable, for example {@code Set-Cookie}). */
  public SimpleResponse withHeader(String name, String value) {
    List<Map.Entry<String, String>> more = new ArrayList<>(headers.size() + 1);
    more.addAll(headers);
    more.add(Map.entry(name, value));
    return new SimpleResponse(status, more, body);
  }

  /** This response with one more {@code Set-Cookie} header whose value is {@code setCookie}. */
  public SimpleResponse withSetCookie(String setCookie) {
    return withHeader("set-cookie", setCookie);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body length without copying it. */
  public int bodyLength() {
    return body.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SimpleResponse other && status == other.status && headers.equals(other.headers)
        && Arrays.equals(body, other.body);
  }

  @Override
  public int hashCode() {
    return (status * 31 + headers.hashCode()) * 31 + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    // Set-Cookie values are secrets; only names are shown.
    return "SimpleResponse[status=" + status + ", headers="
        + headers.stream().map(Map.Entry::getKey).toList() + ", bodyLength=" + body.length + "]";
  }

  private static SimpleResponse of(int status, String contentType, String text) {
    return new SimpleResponse(status,
        List.of(Map.entry("content-type", contentType), Map.entry("x-content-type-options", "nosniff"),
            Map.entry("cache-control", NO_STORE)),
        text.getBytes(StandardCharsets.UTF_8));
  }
}
