package dev.portcullis.http.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Raw-socket HTTP/1.1 for the cases no well-behaved client can produce. */
final class Raw {

  private Raw() {}

  /** Sends {@code request} bytes (ISO-8859-1) and returns everything read until the server closes or 5 s pass. */
  static String exchange(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return readAll(socket.getInputStream());
    }
  }

  static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // return what arrived
    } catch (IOException e) {
      if (out.size() == 0) {
        throw e;
      }
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** The status code of the first response in {@code response}. */
  static int status(String response) {
    if (!response.startsWith("HTTP/1.1 ")) {
      throw new AssertionError("not an HTTP/1.1 response: " + response);
    }
    return Integer.parseInt(response.substring(9, 12));
  }
}
